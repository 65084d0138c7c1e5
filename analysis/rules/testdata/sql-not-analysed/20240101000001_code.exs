defmodule App.Repo.Migrations.Code do
  use Ecto.Migration

  def change do
    execute(fn -> MyApp.Seeds.run() end, fn -> :ok end) # want "calls MyApp.Seeds.run, which lockwise cannot follow"
    execute(fn -> repo().update_all("users", set: [role: "member"]) end, fn -> :ok end) # want "execute\\(fn\\) runs code whose SQL lockwise cannot see \\(Ecto builds the SQL of update_all at run time\\): its locks"
    execute(fn -> repo().all(from(o in "orders", select: o.id)) end, fn -> repo().query!("SELECT 1") end) # want "Ecto builds the SQL of all at run time"
    backfill_all() # want "calls backfill_all/0, which is not defined in this file"

    for t <- Application.get_env(:app, :tables) do
      alter table(t) do # want "the SQL Ecto sends for this alter table depends on `t`, not known statically"
        add :note, :text
      end
    end
  end
end
