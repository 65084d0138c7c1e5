defmodule App.Repo.Migrations.Negatives do
  use Ecto.Migration

  def change do
    # PostgreSQL 12+ may add a value in a transaction, as long as it is not used.
    execute "ALTER TYPE order_state ADD VALUE 'refunded'", ""
    execute "UPDATE orders SET state = 'paid' WHERE paid_at IS NOT NULL", ""

    # A type created in this transaction may use the values it gains.
    execute "CREATE TYPE mood AS ENUM ('ok')", "DROP TYPE mood"
    execute "ALTER TYPE mood ADD VALUE 'happy'", ""

    alter table(:users) do
      add :mood, :mood, default: "happy"
    end
  end
end
