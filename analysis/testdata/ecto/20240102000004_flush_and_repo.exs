defmodule Demo.Repo.Migrations.FlushAndRepo do
  use Ecto.Migration
  import Ecto.Query

  def after_begin do
    execute "SET LOCAL lock_timeout = '5s'"
  end

  def up do
    alter table(:users) do
      add :status, :string
    end

    # Runs before the ALTER above: repo calls are not queued.
    repo().query!("SELECT count(*) FROM users")

    flush()

    from(u in "users", where: is_nil(u.status))
    |> repo().update_all(set: [status: "active"])

    Demo.Repo.query!("UPDATE users SET status = 'x' WHERE id = 1")
    execute(fn -> repo().query!("VACUUM users") end)
  end

  def down do
    alter table(:users) do
      remove :status
    end
  end
end
