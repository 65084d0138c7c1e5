defmodule App.Repo.Migrations.Negatives do
  use Ecto.Migration

  def up do
    # Seed rows of a table created here: nobody else uses it yet.
    create table(:roles) do
      add :name, :string
    end

    flush()

    repo().insert_all("roles", [%{name: "member"}, %{name: "admin"}])
    execute "INSERT INTO roles (name) VALUES ('owner')"

    create table(:user_roles) do
      add :user_id, :bigint
    end

    execute "INSERT INTO user_roles (user_id) SELECT id FROM users"
  end

  def down do
    drop table(:user_roles)
    drop table(:roles)
  end
end
