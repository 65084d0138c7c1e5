defmodule App.Repo.Migrations.Negatives do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  def change do
    create index(:users, [:email], concurrently: true)
    execute "CREATE INDEX CONCURRENTLY users_lower_email ON users (lower(email))", "DROP INDEX CONCURRENTLY users_lower_email"
  end
end
