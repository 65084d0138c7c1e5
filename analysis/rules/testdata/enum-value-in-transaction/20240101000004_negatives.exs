defmodule App.Repo.Migrations.Negatives do
  use Ecto.Migration

  def change do
    # PostgreSQL 12+ may add a value in a transaction, as long as it is not used.
    execute "ALTER TYPE order_state ADD VALUE 'refunded'", ""
    execute "UPDATE orders SET state = 'paid' WHERE paid_at IS NOT NULL", ""

    # Not a negative: even a type created in this transaction cannot use a
    # value ADD VALUE gave it before COMMIT (measured on PostgreSQL 15.18 by
    # analysis/locks TestRealPostgres: ERROR 55P04).
    execute "CREATE TYPE mood AS ENUM ('ok')", "DROP TYPE mood"
    execute "ALTER TYPE mood ADD VALUE 'happy'", ""

    alter table(:users) do # want "ALTER TABLE uses 'happy', which ALTER TYPE mood ADD VALUE added earlier in this migration's transaction"
      add :mood, :mood, default: "happy"
    end
  end
end
