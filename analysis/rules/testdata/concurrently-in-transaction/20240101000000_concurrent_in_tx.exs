defmodule App.Repo.Migrations.ConcurrentInTx do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    create index(:users, [:email], concurrently: true) # want "CREATE INDEX CONCURRENTLY cannot run inside a transaction block and this migration runs in Ecto's DDL transaction: PostgreSQL rejects it \\(ERROR 25001: CREATE INDEX CONCURRENTLY cannot run inside a transaction block\\), `mix ecto.migrate` stops here"
    drop_if_exists index(:users, [:name], concurrently: true) # want "DROP INDEX CONCURRENTLY cannot run inside a transaction block"

    # a table created in the same migration does not help: PostgreSQL still refuses
    create table(:invoices) do
      add :number, :string
    end

    create unique_index(:invoices, [:number], concurrently: true) # want "CREATE INDEX CONCURRENTLY"

    # want +2 "REINDEX CONCURRENTLY cannot run inside a transaction block"
    execute """
    REINDEX INDEX CONCURRENTLY users_lower_email
    """, "SELECT 1"
  end
end
