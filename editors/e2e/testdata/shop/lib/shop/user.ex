defmodule Shop.User do
  use Ecto.Schema

  schema "users" do
    field :name, :string
    field :email, :string
    field :nickname, :string
    timestamps()
  end
end
