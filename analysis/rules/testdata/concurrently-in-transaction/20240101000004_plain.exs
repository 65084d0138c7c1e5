defmodule App.Repo.Migrations.Plain do
  use Ecto.Migration

  def change do
    create index(:users, [:email])
    execute "DROP INDEX users_name_index", "CREATE INDEX users_name_index ON users (name)"
    execute "REFRESH MATERIALIZED VIEW CONCURRENTLY totals", "SELECT 1"

    # excellent_migrations:safety-assured-for-next-line index_concurrently_without_disable_ddl_transaction
    create index(:users, [:nick], concurrently: true)
  end
end
