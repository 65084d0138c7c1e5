defmodule App.Repo.Migrations.RepoCalls do
  use Ecto.Migration

  def up do
    repo().update_all("users", set: [role: "member"]) # want "repo\\(\\).update_all: Ecto builds this query at run time"
    sql = Application.get_env(:app, :sql)
    repo().query!(sql) # want "the SQL of this query is built at run time: lockwise does not see it"
  end

  def down, do: :ok
end
