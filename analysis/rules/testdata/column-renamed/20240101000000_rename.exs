defmodule Shop.Repo.Migrations.RenameColumns do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    rename table(:users), :nickname, to: :handle # want "RENAME of column \"users\".\"nickname\" to \"handle\" is quick, but code that is already running .* `field :handle, :type, source: :nickname`"
    execute "ALTER TABLE products RENAME COLUMN sku TO code", "ALTER TABLE products RENAME COLUMN code TO sku" # want "\"products\".\"sku\" to \"code\""

    # want +2 "\"carts\".\"qty\" to \"quantity\""
    execute """
    ALTER TABLE carts RENAME qty TO quantity
    """, "ALTER TABLE carts RENAME quantity TO qty"
  end
end
