defmodule Shop.Accounts.User do
  use Ecto.Schema

  schema "users" do
    field :email, :string
    field :name, :string
    field :confirmed_at, :utc_datetime
    field :role, :string
    field :legacy_flag, :boolean
    has_many :orders, Shop.Orders.Order
    timestamps()
  end
end
