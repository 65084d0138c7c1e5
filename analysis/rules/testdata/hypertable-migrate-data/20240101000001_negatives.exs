defmodule App.Repo.Migrations.Negatives do
  use Ecto.Migration

  def up do
    # A table created here is empty: moving its rows costs nothing.
    create table(:readings, primary_key: false) do
      add :at, :utc_datetime_usec, null: false
      add :value, :float
    end

    execute "SELECT create_hypertable('readings', 'at', migrate_data => true)"

    # Without migrate_data there is nothing to move (TimescaleDB refuses a
    # table with rows instead).
    execute "SELECT create_hypertable('conditions', 'time')"
    execute "SELECT create_hypertable('metrics', 'time', migrate_data => false)"
  end

  def down, do: :ok
end
