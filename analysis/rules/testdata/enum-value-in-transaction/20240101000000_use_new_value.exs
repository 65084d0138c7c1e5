defmodule App.Repo.Migrations.UseNewValue do
  use Ecto.Migration

  def change do
    execute "ALTER TYPE order_state ADD VALUE 'refunded'", ""

    # é 𐐀: multi-byte text before a finding
    alter table(:orders) do # want "ALTER TABLE uses 'refunded', which ALTER TYPE order_state ADD VALUE added earlier in this migration's transaction: if it is used as a value of type order_state \\(a column of that type\\), PostgreSQL rejects it \\(ERROR 55P04"
      add :previous_state, :order_state, default: "refunded"
    end

    execute "UPDATE orders SET state = 'refunded'::order_state WHERE refunded_at IS NOT NULL", "" # want "UPDATE uses 'refunded'.*: PostgreSQL rejects it \\(ERROR 55P04 \"unsafe use of new value"
  end
end
