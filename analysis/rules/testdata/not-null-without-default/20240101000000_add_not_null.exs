defmodule Shop.Repo.Migrations.AddNotNull do
  use Ecto.Migration

  def change do
    alter table(:users) do
      # é 𐐀: multi-byte text before a finding
      add :age, :integer, null: false # want "ADD COLUMN \"age\" integer NOT NULL without a default on existing table \"users\" fails with ERROR 23502"
      add :nickname, :string
      add :plan_id, references(:plans), null: false # want "\"plan_id\" bigint NOT NULL"
      add :locale, :string, default: nil, null: false # want "\"locale\" varchar\\(255\\) NOT NULL"
    end

    alter table(:orders) do
      timestamps() # want "\"inserted_at\" timestamp\\(0\\)" "\"updated_at\" timestamp\\(0\\)"
    end

    execute "ALTER TABLE products ADD COLUMN weight integer NOT NULL", "ALTER TABLE products DROP COLUMN weight" # want "contains null values"

    alter table(:memberships) do
      add :org_id, :bigint, primary_key: true # want "ADD COLUMN \"org_id\" bigint PRIMARY KEY \\(so NOT NULL\\) without a default on existing table \"memberships\" fails with ERROR 23502"
    end

    # want +2 "PRIMARY KEY|\"code\" text NOT NULL without a default on existing table \"coupons\""
    execute """
    ALTER TABLE coupons ADD COLUMN code text PRIMARY KEY
    """
  end
end
