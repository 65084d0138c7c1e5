defmodule App.Repo.Migrations.NoNeed do
  use Ecto.Migration
  @disable_ddl_transaction true

  def up do
    execute "ALTER TABLE users ADD COLUMN age integer" # want "although none of its 3 changes needs to"
    create table(:pets) do # want "although none of its 3 changes needs to"
      add :name, :string, comment: "what it answers to"
    end

    repo().update_all("users", set: [age: 0]) # want "Remove @disable_ddl_transaction true"
  end

  def down do
    drop table(:pets)
    execute "ALTER TABLE users DROP COLUMN age"
  end
end
