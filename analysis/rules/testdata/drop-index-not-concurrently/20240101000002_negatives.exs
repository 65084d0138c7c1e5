defmodule App.Repo.Migrations.DropNegatives do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  # Concurrent drops, and indexes of a table created in the same migration.
  def change do
    drop index(:users, [:email], concurrently: true)
    drop_if_exists index(:users, [:name], concurrently: true)
    execute "DROP INDEX CONCURRENTLY IF EXISTS users_lower_email", ""

    create table(:invoices) do
      add :number, :string
    end

    create index(:invoices, [:number])
    drop index(:invoices, [:number])
    execute "CREATE INDEX invoices_total ON invoices (total)", ""
    execute "DROP INDEX invoices_total", ""

    # excellent_migrations:safety-assured-for-next-line index_not_concurrently
    drop index(:users, [:legacy])
  end
end
