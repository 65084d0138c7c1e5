defmodule Shop.Repo.Migrations.AddNotNullNegatives do
  use Ecto.Migration

  def change do
    # A new table is empty: NOT NULL without default is fine.
    create table(:coupons) do
      add :code, :string, null: false
      timestamps()
    end

    alter table(:coupons) do
      add :percent, :integer, null: false
    end

    alter table(:users) do
      add :login_count, :integer, null: false, default: 0
      add :plan, :string, default: "free", null: false
      add :nickname, :string, null: true
      add :uid, :uuid, default: fragment("gen_random_uuid()"), null: false
      add :seq, :bigserial
      add :n, :identity
    end

    execute "ALTER TABLE products ADD COLUMN weight integer NOT NULL DEFAULT 0", "ALTER TABLE products DROP COLUMN weight"
    execute "ALTER TABLE products ADD COLUMN doubled integer NOT NULL GENERATED ALWAYS AS (price * 2) STORED", "ALTER TABLE products DROP COLUMN doubled"

    # Emptied first, in the same transaction: no row to fail on.
    execute "TRUNCATE cart_items", ""

    alter table(:cart_items) do
      add :sku, :string, null: false
    end
  end
end
