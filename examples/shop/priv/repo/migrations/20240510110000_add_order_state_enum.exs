defmodule Shop.Repo.Migrations.AddOrderStateEnum do
  use Ecto.Migration

  def up do
    execute "CREATE TYPE order_state AS ENUM ('pending', 'paid')"
    execute "ALTER TYPE order_state ADD VALUE 'refunded'"

    alter table(:orders) do
      add :state, :order_state
    end
  end

  def down do
    alter table(:orders) do
      remove :state
    end

    execute "DROP TYPE order_state"
  end
end
