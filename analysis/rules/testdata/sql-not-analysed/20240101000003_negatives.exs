defmodule App.Repo.Migrations.Negatives do
  use Ecto.Migration

  @table "orders"

  def change do
    alter table(@table) do
      add :note, :text
    end

    for column <- [:a, :b] do
      create index(:orders, [column])
    end

    name = "orders"
    execute "ALTER TABLE #{name} ADD COLUMN tag text", "ALTER TABLE #{name} DROP COLUMN tag"
    execute "UPDATE orders SET note = '' WHERE note IS NULL", ""
    execute(fn -> repo().query!("UPDATE orders SET tag = 'x' WHERE tag IS NULL") end, fn -> repo().query!("SELECT 1") end)
  end
end
