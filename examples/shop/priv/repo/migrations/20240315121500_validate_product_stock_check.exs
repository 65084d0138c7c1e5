defmodule Shop.Repo.Migrations.ValidateProductStockCheck do
  use Ecto.Migration

  def change do
    # Safe: VALIDATE takes SHARE UPDATE EXCLUSIVE, reads and writes go on.
    execute "ALTER TABLE products VALIDATE CONSTRAINT stock_not_negative", ""
  end
end
