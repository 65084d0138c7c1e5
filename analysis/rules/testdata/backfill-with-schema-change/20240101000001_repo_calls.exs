defmodule App.Repo.Migrations.RepoCalls do
  use Ecto.Migration
  import Ecto.Query

  def up do
    alter table(:users) do
      add :role, :string
    end

    flush()

    repo().update_all("users", set: [role: "member"]) # want "repo\\(\\).update_all in the same migration as a schema change: .*ALTER TABLE on \"users\" at line 6"
    from(u in "users", where: u.admin) |> repo().update_all(set: [role: "admin"]) # want "repo\\(\\).update_all"
    repo().insert_all("roles", [%{name: "member"}, %{name: "admin"}]) # want "repo\\(\\).insert_all"
  end

  def down do
    alter table(:users) do
      remove :role
    end
  end
end
