defmodule Shop.Repo.Migrations.AddTrackingNumber do
  use Ecto.Migration

  # Fails on any non-empty table: NOT NULL without a default.
  def change do
    alter table(:orders) do
      add :tracking_number, :string, null: false
    end
  end
end
