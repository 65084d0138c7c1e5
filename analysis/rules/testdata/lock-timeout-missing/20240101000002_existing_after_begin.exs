defmodule App.Repo.Migrations.ExistingAfterBegin do
  use Ecto.Migration

  def after_begin do
    repo().query!("SET LOCAL statement_timeout TO '1min'")
  end

  def change do
    rename table(:accounts), :name, to: :full_name # want "ALTER TABLE ... RENAME waits for an ACCESS EXCLUSIVE lock on existing table \"accounts\""
  end
end
