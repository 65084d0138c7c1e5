defmodule App.Repo.Migrations.Negatives do
  use Ecto.Migration
  import Ecto.Query

  def up do
    execute "UPDATE users SET role = 'member' WHERE role IS NULL"
    execute "DELETE FROM sessions WHERE expires_at < now()"
    repo().update_all(from(u in "users", where: is_nil(u.plan)), set: [plan: "free"])
    "users" |> where([u], u.admin) |> repo().update_all(set: [role: "admin"])
    query = from(u in "users", where: u.id > 10)
    repo().update_all(query, set: [role: "x"])

    # A table created here has no rows yet.
    create table(:audits) do
      add :note, :string
    end

    execute "UPDATE audits SET note = ''"
  end

  def down, do: :ok
end
