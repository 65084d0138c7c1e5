defmodule App.Repo.Migrations.ConcurrentUpDown do
  use Ecto.Migration
  @disable_ddl_transaction false

  def up do
    repo().query!("CREATE INDEX CONCURRENTLY posts_title ON posts (title)") # want "CREATE INDEX CONCURRENTLY cannot run"
  end

  def down do
    execute "DROP INDEX CONCURRENTLY posts_title" # want "rolling the migration back stops here"
  end
end
