defmodule App.Repo.Migrations.Negatives do
  use Ecto.Migration

  def change do
    create table(:tags) do
      add :name, :string
      timestamps()
    end

    alter table(:users) do
      add :nickname, :string
      modify :age, :bigint, from: :integer
      remove :legacy, :boolean, default: false
    end

    create index(:tags, [:name])
    rename table(:users), :name, to: :full_name
    execute "CREATE EXTENSION IF NOT EXISTS citext", "DROP EXTENSION IF EXISTS citext"
    execute(fn -> repo().query!("SELECT 1") end, fn -> repo().query!("SELECT 1") end)
    create constraint(:users, :age_positive, check: "age > 0")
  end
end
