# settings: postgres_version=11
defmodule Shop.Repo.Migrations.DefaultsOnEleven do
  use Ecto.Migration

  # PostgreSQL >= 11 stores a non-volatile default in the catalog: no rewrite.
  def change do
    alter table(:users) do
      add :plan, :string, default: "free"
      add :login_count, :integer, default: 0, null: false
    end

    execute "ALTER TABLE products ADD COLUMN active boolean DEFAULT true", "ALTER TABLE products DROP COLUMN active"
  end
end
