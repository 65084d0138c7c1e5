defmodule Shop.Repo.Migrations.CreateUsers do
  use Ecto.Migration

  def change do
    execute "CREATE EXTENSION IF NOT EXISTS citext", "DROP EXTENSION IF EXISTS citext"

    create table(:users) do
      add :email, :citext, null: false
      add :name, :string
      add :confirmed_at, :utc_datetime
      add :legacy_flag, :boolean, default: false
      timestamps()
    end

    # The table is new and empty: a plain unique index is fine here.
    create unique_index(:users, [:email])
  end
end
