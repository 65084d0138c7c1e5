defmodule Shop.Repo.Migrations.AddCouponFk do
  use Ecto.Migration

  def change do
    create table(:coupons) do
      add :code, :string, null: false
      timestamps()
    end

    # Risky: validates the new foreign key against every existing order
    # while holding SHARE ROW EXCLUSIVE on orders and coupons.
    alter table(:orders) do
      add :coupon_id, references(:coupons)
    end
  end
end
