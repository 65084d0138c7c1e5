defmodule App.Repo.Migrations.NegativesSuppressed do
  use Ecto.Migration

  def up do
    table = Application.get_env(:app, :audit_table)
    # excellent_migrations:safety-assured-for-next-line raw_sql_executed
    execute "ALTER TABLE #{table} ADD COLUMN note text"
    # lockwise:disable-next-line sql-not-analysed -- reviewed by hand
    execute """
    DO $$ BEGIN PERFORM 1; END $$
    """
  end

  def down, do: :ok
end
