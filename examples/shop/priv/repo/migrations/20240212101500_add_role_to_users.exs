defmodule Shop.Repo.Migrations.AddRoleToUsers do
  use Ecto.Migration

  # Safe on PostgreSQL 11+: a constant default is stored in the catalog,
  # the table is not rewritten.
  def change do
    alter table(:users) do
      add :role, :string, default: "customer", null: false
    end
  end
end
