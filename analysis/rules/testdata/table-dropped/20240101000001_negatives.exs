defmodule Shop.Repo.Migrations.DropNegatives do
  use Ecto.Migration

  def change do
    create table(:scratch) do
      add :note, :string
    end

    # Created in this migration: nothing is lost.
    execute "DROP TABLE scratch", ""
    # Not a table.
    execute "DROP VIEW IF EXISTS active_users", ""
  end
end
