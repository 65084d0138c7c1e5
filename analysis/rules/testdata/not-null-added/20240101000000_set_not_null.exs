defmodule Shop.Repo.Migrations.SetNotNull do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    alter table(:users) do
      modify :bio, :text, null: false, from: :text # want "SET NOT NULL on \"users\".\"bio\" takes an ACCESS EXCLUSIVE lock on \"users\" and reads every row"
    end

    alter table(:users) do
      modify :nickname, :string, null: false # want "every read and write of the table waits for a time proportional to the table size"
      add :score, :integer
    end

    alter table(:orders, prefix: "shop") do
      modify :status, :string, null: false, from: {:string, null: true} # want "\"shop.orders\".\"status\""
    end

    execute "ALTER TABLE products ALTER COLUMN sku SET NOT NULL", "ALTER TABLE products ALTER COLUMN sku DROP NOT NULL" # want "CHECK \\(sku IS NOT NULL\\) NOT VALID"

    # want +2 "SET NOT NULL on \"carts\".\"user_id\""
    execute """
    ALTER TABLE carts ALTER COLUMN user_id SET NOT NULL, ALTER COLUMN total TYPE numeric(12,2)
    """
  end
end
