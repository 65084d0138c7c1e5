defmodule Shop.Repo.Migrations.NotNullNegatives do
  use Ecto.Migration

  def change do
    # A table created in this migration is empty: nothing to scan.
    create table(:coupons) do
      add :code, :string
    end

    alter table(:coupons) do
      modify :code, :string, null: false, from: :string
    end

    execute "ALTER TABLE coupons ALTER COLUMN code SET NOT NULL", ""

    # Dropping NOT NULL never scans.
    alter table(:users) do
      modify :bio, :text, null: true, from: :text
    end

    # The PostgreSQL >= 12 recipe: a validated CHECK proves there is no NULL.
    create constraint(:products, :products_sku_not_null, check: "sku IS NOT NULL", validate: false)
    execute "ALTER TABLE products VALIDATE CONSTRAINT products_sku_not_null", ""
    execute "ALTER TABLE products ALTER COLUMN sku SET NOT NULL", "ALTER TABLE products ALTER COLUMN sku DROP NOT NULL"

    # Adding a NOT NULL column is not-null-without-default's business.
    alter table(:users) do
      add :plan, :string, null: false, default: "free"
    end
  end
end
