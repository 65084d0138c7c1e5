defmodule Shop.Repo.Migrations.AddThenRequire do
  use Ecto.Migration

  # The column is NULL in every existing row when SET NOT NULL runs: the
  # migration fails on any table with a row.
  def up do
    alter table(:users) do
      add :region, :string
    end

    execute "ALTER TABLE users ALTER COLUMN region SET NOT NULL" # want "SET NOT NULL on \"users\".\"region\" fails with ERROR 23502 \\(column \"region\" of relation \"users\" contains null values\\) if the table has any row: the column was added earlier in this migration without a default"

    alter table(:users) do
      add :country, :string
    end

    execute "UPDATE users SET country = 'FR'"
    # Backfilled: no failure, only the scan under ACCESS EXCLUSIVE.
    execute "ALTER TABLE users ALTER COLUMN country SET NOT NULL" # want "SET NOT NULL on \"users\".\"country\" takes an ACCESS EXCLUSIVE lock"

    alter table(:users) do
      add :team_id, :bigint
    end

    # Elixir code lockwise cannot see into may have filled it.
    execute(fn -> repo().update_all(from(u in "users"), set: [team_id: 1]) end)
    execute "ALTER TABLE users ALTER COLUMN team_id SET NOT NULL" # want "SET NOT NULL on \"users\".\"team_id\" takes an ACCESS EXCLUSIVE lock"
  end

  def down do
    alter table(:users) do
      remove :region
      remove :country
      remove :team_id
    end
  end
end
