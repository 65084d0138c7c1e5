defmodule Shop.Repo.Migrations.RenameTableWorkspace do
  use Ecto.Migration

  def change do
    rename table(:users), to: table(:accounts) # want "RENAME of table \"users\" to \"accounts\""
  end
end
