defmodule App.Repo.Migrations.UpDown do
  use Ecto.Migration

  def up do
    repo().query!("ALTER TYPE order_state ADD VALUE 'refunded'")
    repo().query!("UPDATE orders SET state = 'refunded' WHERE refunded_at IS NOT NULL") # want "UPDATE uses 'refunded'"
  end

  def down, do: :ok
end
