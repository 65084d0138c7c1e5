defmodule App.Repo.Migrations.DropOutsideTx do
  use Ecto.Migration
  @disable_ddl_transaction true

  def up do
    drop index(:users, [:email]) # want "every read and write on the table waits while it queues for the lock .* and runs"
    execute("DROP INDEX users_name_index, users_nick_index") # want "CONCURRENTLY drops one index per statement"
  end

  def down do
    create index(:users, [:email])
  end
end
