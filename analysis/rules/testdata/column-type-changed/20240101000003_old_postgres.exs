# settings: postgres_version=11
defmodule Shop.Repo.Migrations.TimestamptzOnEleven do
  use Ecto.Migration

  def change do
    alter table(:orders) do
      modify :seen_at, :timestamptz, from: :naive_datetime # want "PG < 12: timestamp <-> timestamptz always rewrites the table"
    end
  end
end
