defmodule Shop.Catalog.Product do
  use Ecto.Schema

  schema "products" do
    field :title, :string
    field :sku, :string
    field :price, :decimal
    field :stock, :integer
    timestamps()
  end
end
