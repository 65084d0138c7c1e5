defmodule App.Repo.Migrations.Execute do
  use Ecto.Migration

  def change do
    create table(:tags) do
      add :name, :string
    end

    # é 𐐀: multi-byte text before a finding
    execute "CREATE EXTENSION IF NOT EXISTS citext" # want "rolling back change/0 raises Ecto.MigrationError here: \"cannot reverse migration command: execute .*execute\\(up_sql, down_sql\\)"
  end
end
