defmodule App.Repo.Migrations.CheckNegatives do
  use Ecto.Migration

  # NOT VALID forms, validation, and checks on a table created here.
  def change do
    create constraint(:products, :price_must_be_positive, check: "price > 0", validate: false)
    execute "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID", ""

    create table(:coupons) do
      add :percent, :integer
    end

    create constraint(:coupons, :percent_range, check: "percent BETWEEN 0 AND 100")
    execute "ALTER TABLE coupons ADD COLUMN uses integer CHECK (uses >= 0)", ""

    # excellent_migrations:safety-assured-for-next-line check_constraint_added
    create constraint(:products, :stock_nonnegative, check: "stock >= 0")
  end
end
