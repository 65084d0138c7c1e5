defmodule Shop.Repo.Migrations.ModifyNegatives do
  use Ecto.Migration

  def change do
    # A real type change (column-type-changed judges it).
    alter table(:users) do
      modify :age, :bigint, null: false, from: {:integer, null: true}
      modify :name, :string, size: 200, from: {:string, size: 100}
    end

    # A new table.
    create table(:coupons) do
      add :code, :string
    end

    alter table(:coupons) do
      modify :code, :string, null: false, from: :string
    end

    # The plain SQL way.
    execute "ALTER TABLE users ALTER COLUMN bio DROP NOT NULL", "ALTER TABLE users ALTER COLUMN bio SET NOT NULL"
  end
end
