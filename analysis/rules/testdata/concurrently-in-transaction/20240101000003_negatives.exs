defmodule App.Repo.Migrations.ConcurrentNegatives do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  # Outside the DDL transaction CONCURRENTLY runs; plain forms run anywhere.
  def change do
    create index(:users, [:email], concurrently: true)
    drop_if_exists index(:users, [:name], concurrently: true)
    execute "REINDEX INDEX CONCURRENTLY users_lower_email", "SELECT 1"
  end
end
