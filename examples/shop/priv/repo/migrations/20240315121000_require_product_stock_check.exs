defmodule Shop.Repo.Migrations.RequireProductStockCheck do
  use Ecto.Migration

  def change do
    # Safe: NOT VALID skips the scan; validate it in a later migration.
    create constraint(:products, :stock_not_negative, check: "stock >= 0", validate: false)
  end
end
