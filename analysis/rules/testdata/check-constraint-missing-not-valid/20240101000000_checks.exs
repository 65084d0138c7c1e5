defmodule App.Repo.Migrations.AddChecks do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    create constraint(:products, :price_must_be_positive, check: "price > 0") # want "ADD CONSTRAINT \"price_must_be_positive\" CHECK checks every row of existing table \"products\" while holding ACCESS EXCLUSIVE: every read and write on the table waits for a time proportional to its size. Add it with `validate: false` \\(NOT VALID\\)"
    create constraint("products", "stock_nonnegative", check: "stock >= 0", prefix: "shop", comment: "no negative stock") # want "\"shop.products\""
    create constraint(:products, :name_present, check: "name IS NOT NULL", validate: true) # want "name_present"

    execute "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0)", "ALTER TABLE orders DROP CONSTRAINT total_positive" # want "ADD CONSTRAINT \"total_positive\" CHECK checks every row of existing table \"orders\".*Add it with NOT VALID"

    # want +2 "ADD CHECK checks every row of existing table \"orders\""
    execute """
    ALTER TABLE orders ADD CHECK (discount <= total)
    """, ""

    execute "ALTER TABLE orders ADD COLUMN weight integer CHECK (weight > 0)", "" # want "ADD COLUMN \"weight\" with an inline CHECK checks every row.*An inline CHECK cannot be NOT VALID"
  end
end
