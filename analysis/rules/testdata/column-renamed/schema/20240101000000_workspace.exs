defmodule Shop.Repo.Migrations.RenameWorkspace do
  use Ecto.Migration

  def change do
    rename table(:users), :name, to: :full_name # want "RENAME of column \"users\".\"name\""
  end
end
