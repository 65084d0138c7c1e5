defmodule Demo.Repo.Migrations.ConcurrentIndexes do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  def up do
    create index(:users, [:born_on], concurrently: true)
    create_if_not_exists index(:users, [:wakes_at], concurrently: true)
    drop_if_exists index(:users, [:wakes_at], concurrently: true)
    drop index(:events, [:user_id], prefix: "audit")
    drop index(:users, [:kind]), mode: :cascade
    rename index(:users, [:age], name: :users_age_index), to: :users_age_idx
  end

  def down do
    execute "SELECT 1"
  end
end
