defmodule App.Repo.Migrations.ValidateNegatives do
  use Ecto.Migration

  # Validating a constraint added by an earlier migration, one on a table
  # created here, and a migration without its transaction.
  def change do
    execute "ALTER TABLE orders VALIDATE CONSTRAINT total_positive", ""

    create table(:coupons) do
      add :percent, :integer
    end

    create constraint(:coupons, :percent_range, check: "percent BETWEEN 0 AND 100", validate: false)
    execute "ALTER TABLE coupons VALIDATE CONSTRAINT percent_range", ""

    create constraint(:products, :price_must_be_positive, check: "price > 0", validate: false)
    # lockwise:disable-next-line validate-in-same-transaction -- products is small
    execute "ALTER TABLE products VALIDATE CONSTRAINT price_must_be_positive", ""
  end
end
