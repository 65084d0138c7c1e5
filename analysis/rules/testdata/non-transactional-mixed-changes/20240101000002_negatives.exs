defmodule App.Repo.Migrations.OnlyIndexes do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  # Only concurrent index work (and a SET) outside the transaction.
  def change do
    execute "SET lock_timeout TO '5s'", "SET lock_timeout TO '5s'"
    create index(:users, [:email], concurrently: true, comment: "login lookups")
    drop_if_exists index(:users, [:name], concurrently: true)
    execute "VACUUM ANALYZE users", "SELECT 1"

    # lockwise:disable-next-line non-transactional-mixed-changes -- idempotent backfill
    execute "UPDATE users SET name = '' WHERE name IS NULL", ""
  end
end
