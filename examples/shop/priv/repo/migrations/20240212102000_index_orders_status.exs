defmodule Shop.Repo.Migrations.IndexOrdersStatus do
  use Ecto.Migration

  # Unsafe: builds the index under a SHARE lock, blocking writes to orders.
  def change do
    create index(:orders, [:status])
  end
end
