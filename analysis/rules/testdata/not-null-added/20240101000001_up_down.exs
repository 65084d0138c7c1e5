defmodule Shop.Repo.Migrations.UpDown do
  use Ecto.Migration

  def up do
    repo().query!("ALTER TABLE invoices ALTER COLUMN number SET NOT NULL") # want "SET NOT NULL on \"invoices\".\"number\""

    # excellent_migrations:safety-assured-for-next-line not_null_added
    execute "ALTER TABLE invoices ALTER COLUMN total SET NOT NULL"
    # lockwise:disable-next-line not-null-added -- invoices has 40 rows
    execute "ALTER TABLE invoices ALTER COLUMN currency SET NOT NULL"

    alter table(:invoices) do
      modify :paid_at, :utc_datetime, null: false, from: :utc_datetime # want "\"invoices\".\"paid_at\""
    end
  end

  def down do
    execute "ALTER TABLE invoices ALTER COLUMN number DROP NOT NULL"
  end
end
