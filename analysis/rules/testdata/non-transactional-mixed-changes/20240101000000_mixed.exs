defmodule App.Repo.Migrations.Mixed do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  def change do
    # é 𐐀: multi-byte text before a finding
    alter table(:users) do # want "this migration runs outside a transaction \\(@disable_ddl_transaction true\\) for CREATE INDEX CONCURRENTLY and also runs this ALTER TABLE: if a statement fails, those before it stay applied while schema_migrations does not record the migration"
      add :nickname, :string
    end

    create index(:users, [:nickname], concurrently: true)
    execute "UPDATE users SET nickname = name WHERE nickname IS NULL", "" # want "also runs this UPDATE"
    execute "SET lock_timeout TO '5s'", ""
  end
end
