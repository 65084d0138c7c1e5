defmodule App.Repo.Migrations.NarrowIndexes do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  # Three columns, unique indexes, and INCLUDE columns are fine.
  def change do
    create index(:orders, [:shop_id, :state, :inserted_at], concurrently: true)
    create unique_index(:orders, [:shop_id, :number, :year, :series], concurrently: true)
    create index(:orders, [:shop_id, :state], include: [:total, :customer_id, :placed_on], concurrently: true)
    execute "CREATE UNIQUE INDEX CONCURRENTLY orders_ext ON orders (a, b, c, d, e)", ""

    # excellent_migrations:safety-assured-for-next-line many_columns_index
    create index(:orders, [:a, :b, :c, :d], concurrently: true)
  end
end
