defmodule App.Repo.Migrations.Repo do
  use Ecto.Migration
  import Ecto.Query

  def up do
    repo().update_all("users", set: [role: "member"]) # want "repo\\(\\).update_all with no where clause writes every row of \"users\" in one UPDATE inside the migration transaction"
    from(u in "users") |> repo().update_all(set: [plan: "free"]) # want "every row of \"users\""
    repo().delete_all(from(s in "sessions", select: s.id)) # want "repo\\(\\).delete_all with no where clause deletes every row of \"sessions\" in one DELETE"
    MyApp.Repo.update_all({"accounts", MyApp.Account}, set: [active: true]) # want "every row of \"accounts\""
    execute(fn -> repo().update_all("orders", set: [archived: false]) end) # want "every row of \"orders\""
    repo().delete_all(MyApp.Session) # want "deletes every row of the table of MyApp.Session in one DELETE"
  end

  def down, do: :ok
end
