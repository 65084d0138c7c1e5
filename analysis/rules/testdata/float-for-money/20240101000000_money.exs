defmodule Shop.Repo.Migrations.MoneyColumns do
  use Ecto.Migration

  def change do
    create table(:orders) do
      # é 𐐀: multi-byte text before a finding
      add :total, :float # want "Column \"orders\".\"total\" holds money as double precision \\(binary floating point\\)"
      add :unit_price, :float, null: false # want "\"orders\".\"unit_price\""
      add :shipping_fee, :float, comment: "EUR" # want "\"orders\".\"shipping_fee\""
      add :weight, :float
    end

    alter table(:users) do
      add :balance, :float, default: 0.0 # want "\"users\".\"balance\""
      modify :salary, :float, from: :integer # want "\"users\".\"salary\""
    end

    execute "ALTER TABLE products ADD COLUMN cost real", "ALTER TABLE products DROP COLUMN cost" # want "\"products\".\"cost\" holds money as real"

    # want +2 "\"invoices\".\"tax_amount\""
    execute """
    CREATE TABLE invoices (id bigserial PRIMARY KEY, tax_amount double precision, lines integer)
    """, "DROP TABLE invoices"
  end
end
