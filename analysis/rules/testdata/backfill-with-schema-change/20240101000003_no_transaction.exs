defmodule App.Repo.Migrations.NoTransaction do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  def up do
    create index(:orders, [:status], concurrently: true)
    # want +2 "INSERT into \"order_audits\" in the same migration as a schema change: this migration runs without a transaction"
    repo().query!("""
    INSERT INTO order_audits (order_id, note) SELECT id, 'indexed' FROM orders WHERE status = 'paid'
    """)
  end

  def down do
    drop index(:orders, [:status], concurrently: true)
  end
end
