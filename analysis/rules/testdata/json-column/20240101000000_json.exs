defmodule Shop.Repo.Migrations.JSONColumns do
  use Ecto.Migration

  def change do
    create table(:events) do
      # é 𐐀: multi-byte text before a finding
      add :payload, :json # want "Column \"events\".\"payload\" is json: PostgreSQL stores json as the text written and has no equality operator"
      add :tags, {:array, :json} # want "\"events\".\"tags\" is json\\[\\]"
      add :meta, :map
    end

    alter table(:users) do
      add :settings, :json, default: "{}" # want "\"users\".\"settings\""
      modify :prefs, :json, from: :text # want "\"users\".\"prefs\""
    end

    execute "ALTER TABLE products ADD COLUMN specs json", "ALTER TABLE products DROP COLUMN specs" # want "\"products\".\"specs\" is json"

    # want +2 "\"audit\".\"before\"" "\"audit\".\"after\""
    execute """
    CREATE TABLE audit (id bigserial PRIMARY KEY, before json, after json NOT NULL)
    """, "DROP TABLE audit"
  end
end
