defmodule App.Repo.Migrations.TwoAlters do
  use Ecto.Migration

  def up do
    # é 𐐀: multi-byte text before a finding
    execute "ALTER TABLE users ADD COLUMN a int; ALTER TABLE users ADD COLUMN b int;" # want "this execute string holds 2 SQL statements \\(ALTER TABLE, ALTER TABLE\\): Postgrex sends it as one prepared statement and PostgreSQL rejects it with ERROR 42601"
    repo().query!("UPDATE users SET a = 0 WHERE a IS NULL; UPDATE users SET b = 0 WHERE b IS NULL") # want "this query string holds 2 SQL statements"
  end

  def down do
    execute("ALTER TABLE users DROP COLUMN b; ALTER TABLE users DROP COLUMN a") # want "rolling the migration back fails here"
  end
end
