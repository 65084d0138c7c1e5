defmodule App.Repo.Migrations.UpDown do
  use Ecto.Migration

  def up do
    repo().query!("DROP INDEX IF EXISTS orders_state_idx") # want "DROP INDEX \"orders_state_idx\" without CONCURRENTLY"
  end

  def down do
    drop index(:orders, [:state])
  end
end
