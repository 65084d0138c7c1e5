# settings: postgres_version=10
defmodule Shop.Repo.Migrations.AddNotNullOld do
  use Ecto.Migration

  def up do
    repo().query!("ALTER TABLE users ADD COLUMN IF NOT EXISTS age integer NOT NULL") # want "on PostgreSQL < 11 a default would rewrite the whole table"
  end

  def down do
    repo().query!("ALTER TABLE users DROP COLUMN age")
  end
end
