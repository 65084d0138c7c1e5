defmodule App.Repo.Migrations.Backfill do
  use Ecto.Migration

  # é 𐐀: multi-byte text before a finding
  def up do # want "up/0 has no down/0: `mix ecto.rollback` of this migration raises Ecto.MigrationError \\(\"App.Repo.Migrations.Backfill does not implement a `down/0` or `change/0` function\"\\)"
    execute "UPDATE users SET role = 'member' WHERE role IS NULL"
  end
end
