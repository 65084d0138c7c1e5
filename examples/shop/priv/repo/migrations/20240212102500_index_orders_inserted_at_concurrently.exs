defmodule Shop.Repo.Migrations.IndexOrdersInsertedAtConcurrently do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  # Safe: built concurrently, outside the migration transaction.
  def change do
    create index(:orders, [:inserted_at], concurrently: true)
  end
end
