defmodule App.Repo.Migrations.LockSuppressed do
  use Ecto.Migration
  @disable_ddl_transaction true

  def change do
    # excellent_migrations:safety-assured-for-next-line index_concurrently_without_disable_migration_lock
    create index(:users, [:email], concurrently: true)
    # lockwise:disable-next-line concurrently-with-migration-lock -- one node runs migrations
    create index(:users, [:name], concurrently: true)
  end
end
