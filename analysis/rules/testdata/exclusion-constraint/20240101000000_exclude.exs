defmodule App.Repo.Migrations.AddExclusions do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    create constraint(:bookings, :no_overlap, exclude: ~s|gist (room_id WITH =, during WITH &&)|) # want "ADD CONSTRAINT \"no_overlap\" EXCLUDE builds its index while holding ACCESS EXCLUSIVE on existing table \"bookings\": every read and write on the table waits for the whole build, a time proportional to the table size. An exclusion constraint has no online path"
    execute "ALTER TABLE shifts ADD EXCLUDE USING gist (worker_id WITH =, span WITH &&)", "" # want "ADD EXCLUDE builds its index.*\"shifts\""
  end
end
