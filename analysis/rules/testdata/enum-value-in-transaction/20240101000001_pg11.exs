# settings: postgres_version=11
defmodule App.Repo.Migrations.Pg11 do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    execute "ALTER TYPE order_state ADD VALUE 'refunded'", "" # want "ALTER TYPE order_state ADD VALUE 'refunded' runs inside the migration transaction: PostgreSQL 11 rejects it \\(ERROR 25001"
    # want +2 "ADD VALUE 'disputed'"
    execute """
    ALTER TYPE order_state ADD VALUE IF NOT EXISTS 'disputed' AFTER 'refunded'
    """, ""
  end
end
