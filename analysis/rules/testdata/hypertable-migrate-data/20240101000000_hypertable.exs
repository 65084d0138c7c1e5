defmodule App.Repo.Migrations.Hypertable do
  use Ecto.Migration

  def up do
    # é 𐐀: multi-byte text before a finding
    execute "SELECT create_hypertable('conditions', 'time', migrate_data => true)" # want "create_hypertable\\(..., migrate_data => true\\) on existing table \"conditions\" copies every row into chunks while holding ACCESS EXCLUSIVE"
    # want +2 "on existing table \"public.metrics\""
    execute """
    SELECT create_hypertable('public.metrics', by_range('recorded_at'), migrate_data => TRUE)
    """
    repo().query!("SELECT create_hypertable('events', 'at', migrate_data => true, if_not_exists => true)") # want "until the migration commits"
  end

  def down, do: :ok
end
