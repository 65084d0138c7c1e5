defmodule App.Repo.Migrations.ConcurrentWithLock do
  use Ecto.Migration
  @disable_ddl_transaction true

  def change do
    # é 𐐀: multi-byte text before a finding
    create index(:users, [:email], concurrently: true) # want "CREATE INDEX CONCURRENTLY under Ecto's default migration lock: for the whole migration a second connection keeps a transaction open holding LOCK TABLE \"schema_migrations\" IN SHARE UPDATE EXCLUSIVE MODE"
    drop_if_exists index(:users, [:name], concurrently: true) # want "DROP INDEX CONCURRENTLY under Ecto's default migration lock"
    execute "REINDEX INDEX CONCURRENTLY users_lower_email", "SELECT 1" # want "REINDEX CONCURRENTLY"
  end
end
