defmodule Shop.Repo.Migrations.CreateProducts do
  use Ecto.Migration

  def change do
    create table(:products) do
      add :title, :string, null: false
      add :sku, :string, null: false
      add :price, :decimal, precision: 10, scale: 2, null: false
      add :stock, :integer, default: 0, null: false
      timestamps()
    end

    create unique_index(:products, [:sku])
  end
end
