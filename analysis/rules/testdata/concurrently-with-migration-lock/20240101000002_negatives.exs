defmodule App.Repo.Migrations.LockNegatives do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  def change do
    create index(:users, [:email], concurrently: true)
    execute "DROP INDEX CONCURRENTLY users_lower_email", "SELECT 1"
  end
end
