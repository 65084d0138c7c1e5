defmodule App.Repo.Migrations.NegativesUpDown do
  use Ecto.Migration

  # up/0 and down/0: Ecto reverses nothing.
  def up do
    execute "CREATE EXTENSION IF NOT EXISTS citext"
    drop table(:legacy_events)
  end

  def down do
    execute "DROP EXTENSION IF EXISTS citext"
  end
end
