defmodule App.Repo.Migrations.NegativesDataOnly do
  use Ecto.Migration

  # A data migration with no schema change.
  def up do
    execute "UPDATE users SET role = 'member' WHERE role IS NULL"
    repo().update_all("orders", set: [archived: true])
  end

  def down, do: :ok
end
