defmodule App.Repo.Migrations.DropLegacy do
  use Ecto.Migration
  @disable_migration_lock true

  def up do
    create index(:orders, [:state])
    # want +2 "waits for an ACCESS EXCLUSIVE lock on existing table \"orders\""
    execute """
    ALTER TABLE orders DROP COLUMN legacy_flag
    """
  end

  def down do
    execute "ALTER TABLE orders ADD COLUMN legacy_flag boolean"
  end
end
