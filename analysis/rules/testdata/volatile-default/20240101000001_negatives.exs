defmodule Shop.Repo.Migrations.VolatileNegatives do
  use Ecto.Migration

  def change do
    # A new table: nothing to rewrite.
    create table(:coupons, primary_key: false) do
      add :id, :uuid, primary_key: true, default: fragment("gen_random_uuid()")
      add :number, :bigserial
    end

    alter table(:coupons) do
      add :token, :uuid, default: fragment("gen_random_uuid()")
    end

    # now() and CURRENT_TIMESTAMP are stable: evaluated once, stored in the catalog.
    alter table(:users) do
      add :joined_at, :utc_datetime, default: fragment("now()"), null: false
      add :plan, :string, default: "free"
      add :flags, {:array, :string}, default: []
      add :settings, :map, default: %{}
    end

    execute "ALTER TABLE products ADD COLUMN created_at timestamptz DEFAULT CURRENT_TIMESTAMP", "ALTER TABLE products DROP COLUMN created_at"

    # SET DEFAULT only applies to new rows: no rewrite, even when volatile.
    execute "ALTER TABLE products ALTER COLUMN uid SET DEFAULT gen_random_uuid()", "ALTER TABLE products ALTER COLUMN uid DROP DEFAULT"
  end
end
