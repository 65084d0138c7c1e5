# settings: postgres_version=11
defmodule App.Repo.Migrations.NegativesNoTransaction do
  use Ecto.Migration
  @disable_ddl_transaction true

  # Without a transaction each statement commits on its own.
  def change do
    execute "ALTER TYPE order_state ADD VALUE 'refunded'", ""
    execute "UPDATE orders SET state = 'refunded' WHERE refunded_at IS NOT NULL", ""
  end
end
