defmodule App.Repo.Migrations.LockFalse do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock false

  def up do
    repo().query!("CREATE INDEX CONCURRENTLY posts_title ON posts (title)") # want "CREATE INDEX CONCURRENTLY under"
  end

  def down do
    execute "DROP INDEX CONCURRENTLY posts_title" # want "DROP INDEX CONCURRENTLY under"
  end
end
