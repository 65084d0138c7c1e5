defmodule Shop.Repo.Migrations.TypeNegatives do
  use Ecto.Migration

  def change do
    create table(:coupons) do
      add :code, :string
    end

    alter table(:coupons) do
      modify :code, :integer, from: :string
    end

    # Binary-coercible changes, old type known from from:.
    alter table(:users) do
      modify :name, :string, size: 200, from: {:string, size: 100}
      modify :email, :text, from: :string
      modify :nickname, :string, from: :string
      modify :price, :decimal, precision: 14, scale: 2, from: {:decimal, precision: 12, scale: 2}
      modify :ratio, :decimal, from: {:decimal, precision: 12, scale: 2}
      modify :inserted_at, :naive_datetime_usec, from: :naive_datetime
    end

    # modify that only changes null/default: modify-reissues-type's business.
    alter table(:users) do
      modify :bio, :text, null: false
    end

    # A column added earlier in the same migration has a known type.
    alter table(:users) do
      add :ref, :string, size: 20
    end

    execute "ALTER TABLE users ALTER COLUMN ref TYPE varchar(40)", "ALTER TABLE users ALTER COLUMN ref TYPE varchar(20)"
  end
end
