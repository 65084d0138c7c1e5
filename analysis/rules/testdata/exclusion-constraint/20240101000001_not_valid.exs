defmodule App.Repo.Migrations.ExcludeNotValid do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    create constraint(:bookings, :no_overlap, exclude: ~s|gist (room_id WITH =, during WITH &&)|, validate: false) # want "PostgreSQL rejects EXCLUDE ... NOT VALID \\(ERROR 0A000: EXCLUDE constraints cannot be marked NOT VALID\\), which is what Ecto sends for `constraint\\(..., exclude: ..., validate: false\\)`: the migration stops here"

    create table(:rooms) do
      add :span, :tstzrange
    end

    # even on a new table
    create constraint(:rooms, :no_overlap, validate: false, exclude: ~s|gist (span WITH &&)|) # want "0A000"

    # want +2 "PostgreSQL rejects EXCLUDE ... NOT VALID.*remove NOT VALID"
    execute """
    ALTER TABLE shifts ADD CONSTRAINT no_double_shift EXCLUDE USING gist (worker_id WITH =, span WITH &&) NOT VALID
    """, ""
  end
end
