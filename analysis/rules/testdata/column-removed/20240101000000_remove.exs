defmodule Shop.Repo.Migrations.RemoveColumns do
  use Ecto.Migration

  def change do
    alter table(:users) do
      # é 𐐀: multi-byte text before a finding
      remove :nickname, :string # want "DROP COLUMN \"users\".\"nickname\" deletes its data for good, and code that is already running"
      remove :plan_id, references(:plans) # want "takes an ACCESS EXCLUSIVE lock on \"users\", and one on \"plans\", the table its foreign key references"
      remove_if_exists :legacy, :string # want "\"users\".\"legacy\""
      # excellent_migrations:safety-assured-for-next-line column_removed
      remove :old_flag, :boolean
      # lockwise:disable-next-line column-removed -- unused since v2.3, backed up
      remove :old_notes, :text
    end

    alter table(table_name()) do
      remove :legacy, :string # want "DROP COLUMN \"#\\{Application.get_env\\(:shop, :legacy_table\\)\\}\".\"legacy\""
    end

    execute "ALTER TABLE products DROP COLUMN weight", "ALTER TABLE products ADD COLUMN weight integer" # want "DROP COLUMN \"products\".\"weight\""

    # want +2 "\"carts\".\"note\""
    execute """
    ALTER TABLE carts DROP COLUMN IF EXISTS note CASCADE
    """, ""
  end

  defp table_name, do: Application.get_env(:shop, :legacy_table)
end
