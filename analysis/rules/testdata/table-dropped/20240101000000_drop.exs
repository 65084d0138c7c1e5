defmodule Shop.Repo.Migrations.DropTables do
  use Ecto.Migration

  def up do
    # é 𐐀: multi-byte text before a finding
    drop table(:legacy_events) # want "DROP TABLE \"legacy_events\" deletes every row for good"
    drop_if_exists table(:audit_log, prefix: "archive"), mode: :cascade # want "\"archive.audit_log\".*CASCADE also drops"
    execute "DROP TABLE sessions, tokens" # want "DROP TABLE \"sessions\", \"tokens\""

    # want +2 "\"carts\""
    repo().query!("""
    DROP TABLE IF EXISTS carts
    """)
  end

  def down do
  end
end
