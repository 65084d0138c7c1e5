# settings: postgres_version=11
defmodule App.Repo.Migrations.Pg11ThenUse do
  use Ecto.Migration

  def change do
    execute "ALTER TYPE order_state ADD VALUE 'refunded'", "" # want "PostgreSQL 11 rejects it"

    alter table(:orders) do
      add :refund_reason, :text
    end

    execute "UPDATE orders SET state = 'refunded' WHERE refunded_at IS NOT NULL", ""
  end
end
