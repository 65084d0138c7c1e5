defmodule Shop.Repo.Migrations.TypeChangesWorkspace do
  use Ecto.Migration

  # The workspace knows the old types and the indexes.
  def up do
    alter table(:users) do
      modify :name, :string
      modify :age, :bigint # want "integer -> bigint rewrites the table"
      modify :confirmed_at, :timestamptz # want "but it rebuilds each index on the column, reading every row,"
    end
  end

  def down do
  end
end
