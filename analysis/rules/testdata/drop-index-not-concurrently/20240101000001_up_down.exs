defmodule App.Repo.Migrations.UpDown do
  use Ecto.Migration

  def up do
    repo().query!("DROP INDEX IF EXISTS orders_state_idx") # want "DROP INDEX \"orders_state_idx\" without CONCURRENTLY"
    flush()
    # an index built earlier in this migration still belongs to an existing table
    execute "CREATE INDEX orders_total_idx ON orders (total)"
    execute "DROP INDEX orders_total_idx" # want "DROP INDEX \"orders_total_idx\" without CONCURRENTLY takes ACCESS EXCLUSIVE on \"orders\""
  end

  def down do
    drop index(:orders, [:state])
  end
end
