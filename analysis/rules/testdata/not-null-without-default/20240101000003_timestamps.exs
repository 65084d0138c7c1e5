defmodule Shop.Repo.Migrations.AddNotNullTimestamps do
  use Ecto.Migration

  def change do
    alter table(:carts) do
      timestamps(type: :utc_datetime) # want "\"inserted_at\"" "\"updated_at\""
    end
  end
end
