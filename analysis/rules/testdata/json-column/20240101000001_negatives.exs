defmodule Shop.Repo.Migrations.JSONNegatives do
  use Ecto.Migration

  def change do
    create table(:events) do
      add :payload, :map
      add :raw, :jsonb
      add :items, {:array, :map}
      # a column named json is not a json column
      add :json, :text
    end

    execute "ALTER TABLE products ADD COLUMN specs jsonb DEFAULT '{}'::jsonb", "ALTER TABLE products DROP COLUMN specs"
    execute "SELECT '{}'::json", ""
  end
end
