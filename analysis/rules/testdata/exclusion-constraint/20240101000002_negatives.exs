defmodule App.Repo.Migrations.ExcludeNegatives do
  use Ecto.Migration

  # Exclusion constraints on a table created in the same migration.
  def change do
    create table(:reservations) do
      add :room_id, :bigint
      add :during, :tstzrange
    end

    create constraint(:reservations, :no_overlap, exclude: ~s|gist (room_id WITH =, during WITH &&)|)
    execute "ALTER TABLE reservations ADD EXCLUDE USING gist (during WITH &&)", ""
    execute "CREATE TABLE slots (span tstzrange, EXCLUDE USING gist (span WITH &&))", "DROP TABLE slots"

    # lockwise:disable-next-line exclusion-constraint -- run in the maintenance window
    create constraint(:bookings, :no_overlap, exclude: ~s|gist (room_id WITH =, during WITH &&)|)
  end
end
