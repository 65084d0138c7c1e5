defmodule Shop.Repo.Migrations.RequireUserName do
  use Ecto.Migration

  # Scans users under ACCESS EXCLUSIVE to check that no name is NULL.
  def change do
    alter table(:users) do
      modify :name, :string, null: false, from: {:string, null: true}
    end
  end
end
