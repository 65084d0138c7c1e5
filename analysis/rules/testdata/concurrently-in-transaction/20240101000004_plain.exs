defmodule App.Repo.Migrations.Plain do
  use Ecto.Migration

  def change do
    create index(:users, [:email])
    execute "DROP INDEX users_name_index", "CREATE INDEX users_name_index ON users (name)"
    execute "REFRESH MATERIALIZED VIEW CONCURRENTLY totals", "SELECT 1"
  end
end
