# settings: postgres_version=11
defmodule Shop.Repo.Migrations.OldPostgres do
  use Ecto.Migration

  def change do
    execute "ALTER TABLE products ADD CONSTRAINT products_sku_not_null CHECK (sku IS NOT NULL)", ""
    # A validated CHECK does not help before PostgreSQL 12.
    execute "ALTER TABLE products ALTER COLUMN sku SET NOT NULL", "" # want "PostgreSQL 11 always scans, even with a validated CHECK \\(sku IS NOT NULL\\)"
  end
end
