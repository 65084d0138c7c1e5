defmodule Shop.Repo.Migrations.RemoveNegatives do
  use Ecto.Migration

  def change do
    create table(:coupons) do
      add :code, :string
      add :legacy, :string
    end

    alter table(:coupons) do
      remove :legacy, :string
    end

    execute "ALTER TABLE coupons DROP COLUMN code", "ALTER TABLE coupons ADD COLUMN code varchar(255)"
  end
end
