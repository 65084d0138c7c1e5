defmodule App.Repo.Migrations.NoTransaction do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  def change do
    drop index(:users, [:email]) # want "DROP INDEX waits for .* runs without a transaction and Ecto may send each statement on a different connection"
  end
end
