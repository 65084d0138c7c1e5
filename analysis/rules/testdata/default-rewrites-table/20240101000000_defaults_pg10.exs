# settings: postgres_version=10
defmodule Shop.Repo.Migrations.DefaultsOnTen do
  use Ecto.Migration

  def change do
    alter table(:users) do
      # é 𐐀: multi-byte text before a finding
      add :plan, :string, default: "free" # want "On PostgreSQL 10 \\(postgres_version\\), ADD COLUMN \"plan\" varchar\\(255\\) DEFAULT 'free' writes the default into every row: it rewrites the whole table \"users\""
      add :login_count, :integer, default: 0, null: false # want "DEFAULT 0"
      add :joined_at, :utc_datetime, default: fragment("now()") # want "DEFAULT now\\(\\)"
    end

    execute "ALTER TABLE products ADD COLUMN active boolean DEFAULT true", "ALTER TABLE products DROP COLUMN active" # want "\"active\" boolean DEFAULT true"

    # want +2 "\"currency\" char\\(3\\)"
    execute """
    ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR'
    """
  end
end
