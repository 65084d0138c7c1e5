defmodule MyApp.Repo.Migrations.CreateAccounts do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  # Accounts and their users. Ünïcode in a comment: 𐐀 é
  def change do
    create table(:accounts, primary_key: false) do
      add :id, :binary_id, primary_key: true
      add :name, :string, null: false, size: 120
      add :settings, :map, default: %{}
      timestamps(type: :utc_datetime_usec)
    end

    create unique_index(:accounts, [:name], concurrently: true)
    create(index("users", ["lower(email)"], where: "deleted_at IS NULL"))
    index(:users, [:account_id]) |> create()

    alter table(:users) do
      add :account_id, references(:accounts, type: :binary_id, on_delete: :delete_all)
      modify :email, :text, from: :string
      remove :legacy, :boolean, default: false
    end

    execute "CREATE EXTENSION IF NOT EXISTS citext", "DROP EXTENSION citext"
    execute """
    UPDATE users SET email = lower(email) WHERE email <> lower(email)
    """
    execute(fn -> repo().query!("SELECT #{@size}", []) end)

    for t <- ~w(posts comments)a do
      alter table(t), do: add(:archived, :boolean, default: false)
    end

    flush()
  end

  defp helper(table), do: create(index(table, [:inserted_at]))
end
