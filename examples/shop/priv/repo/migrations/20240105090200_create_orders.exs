defmodule Shop.Repo.Migrations.CreateOrders do
  use Ecto.Migration

  def change do
    create table(:orders) do
      add :user_id, references(:users, on_delete: :nothing), null: false
      add :product_id, references(:products, on_delete: :restrict)
      add :total, :float
      add :status, :string, default: "pending", null: false
      timestamps()
    end

    create index(:orders, [:user_id])
  end
end
