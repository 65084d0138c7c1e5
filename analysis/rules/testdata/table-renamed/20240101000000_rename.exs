defmodule Shop.Repo.Migrations.RenameTables do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    rename table(:orders), to: table(:purchases) # want "RENAME of table \"orders\" to \"purchases\" is quick, but code that is already running .*`schema \"orders\"`.*CREATE VIEW orders AS SELECT \\* FROM purchases"
    execute "ALTER TABLE shop.carts RENAME TO baskets", "ALTER TABLE shop.baskets RENAME TO carts" # want "\"shop.carts\" to \"baskets\".*CREATE VIEW shop.carts AS SELECT \\* FROM shop.baskets"

    # want +2 "\"items\" to \"line_items\""
    execute """
    ALTER TABLE IF EXISTS items RENAME TO line_items
    """, "ALTER TABLE line_items RENAME TO items"
  end
end
