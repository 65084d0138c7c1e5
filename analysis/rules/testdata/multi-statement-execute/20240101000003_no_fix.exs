defmodule App.Repo.Migrations.NoFix do
  use Ecto.Migration

  def change do
    table = "users"
    execute "UPDATE #{table} SET a = 1; UPDATE #{table} SET b = 2" # want "holds 2 SQL statements"
    execute "ALTER TABLE t ADD a int; ALTER TABLE t ADD b int", "ALTER TABLE t DROP a, DROP b" # want "holds 2 SQL statements"
    execute(fn -> repo().query!("UPDATE t SET a = 1; UPDATE t SET b = 2") end, fn -> :ok end) # want "this query string holds 2"
    execute "BEGIN; UPDATE t SET a = 1; COMMIT", "" # want "holds 3 SQL statements \\(BEGIN, UPDATE, COMMIT\\)"
  end
end
