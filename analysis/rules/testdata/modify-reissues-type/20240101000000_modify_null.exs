defmodule Shop.Repo.Migrations.ModifyNull do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    alter table(:users) do
      modify :bio, :text, null: false, from: {:text, null: true} # want "`modify :bio` sends ALTER COLUMN \"bio\" TYPE text, the type the column already has: it changes nothing, but takes an ACCESS EXCLUSIVE lock on \"users\""
    end

    alter table(:users) do
      modify :plan, :string, default: "free", from: :string # want "To change only the default, use `execute \"ALTER TABLE users ALTER COLUMN plan SET DEFAULT 'free'\"`"
    end

    alter table(:orders) do
      modify :status, :string, null: false, default: "new", from: {:string, null: true, default: nil} # want "To change only null and the default"
    end

    alter table(:orders) do
      add :ref, :string, size: 20
    end

    # want +2 "ALTER COLUMN \"orders\".\"ref\" TYPE varchar\\(20\\) sets the type the column already has"
    execute """
    ALTER TABLE orders ALTER COLUMN ref TYPE varchar(20), ALTER COLUMN ref SET NOT NULL
    """, "ALTER TABLE orders ALTER COLUMN ref DROP NOT NULL"
  end
end
