defmodule App.Repo.Migrations.DataFirst do
  use Ecto.Migration

  def change do
    execute "DELETE FROM sessions WHERE expires_at < now()", "" # want "DELETE from \"sessions\" in the same migration as a schema change: it runs in the same transaction as the CREATE INDEX on \"sessions\" at line 6: the rows it writes stay locked until COMMIT"
    create index(:sessions, [:expires_at])
  end
end
