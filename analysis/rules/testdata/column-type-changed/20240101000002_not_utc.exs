# settings: assume_utc=false
defmodule Shop.Repo.Migrations.NotUTC do
  use Ecto.Migration

  def change do
    alter table(:orders) do
      modify :seen_at, :timestamptz, from: :naive_datetime # want "rewrites the table unless the session TimeZone is UTC \\(assume_utc is off\\)"
    end
  end
end
