defmodule App.Repo.Migrations.NegativesBatched do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  # Without the migration transaction each statement commits on its own.
  def up do
    execute "UPDATE users SET role = 'member'"
    repo().update_all("orders", set: [archived: false])
  end

  def down, do: :ok
end
