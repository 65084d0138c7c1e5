defmodule App.Repo.Migrations.ValidateNoTransaction do
  use Ecto.Migration
  @disable_ddl_transaction true

  # Each statement commits on its own: the ADD's lock is gone before the VALIDATE.
  def change do
    create constraint(:products, :price_must_be_positive, check: "price > 0", validate: false)
    execute "ALTER TABLE products VALIDATE CONSTRAINT price_must_be_positive", ""
  end
end
