defmodule Shop.Repo.Migrations.ChangeTotalToBigintCents do
  use Ecto.Migration

  # Dangerous for running code and slow: renames a column the app reads and
  # rewrites the whole table to change its type.
  def change do
    rename table(:orders), :total, to: :total_cents

    alter table(:orders) do
      modify :total_cents, :bigint, from: :float
    end
  end
end
