defmodule Shop.Repo.Migrations.MoneyNegatives do
  use Ecto.Migration

  def change do
    create table(:orders) do
      add :total, :decimal, precision: 12, scale: 2
      add :total_cents, :bigint
      add :price, :integer
      # not money
      add :latitude, :float
      add :rating, :float
      add :totality, :float
    end

    execute "ALTER TABLE products ADD COLUMN price numeric(12,2)", "ALTER TABLE products DROP COLUMN price"
  end
end
