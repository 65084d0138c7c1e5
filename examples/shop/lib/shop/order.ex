defmodule Shop.Orders.Order do
  use Ecto.Schema

  schema "orders" do
    field :total_cents, :integer
    field :status, :string
    field :notes, :string
    belongs_to :user, Shop.Accounts.User
    belongs_to :product, Shop.Catalog.Product
    timestamps()
  end
end
