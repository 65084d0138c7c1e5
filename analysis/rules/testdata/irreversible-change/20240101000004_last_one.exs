defmodule App.Repo.Migrations.LastOne do
  use Ecto.Migration

  # Rollback runs the commands backwards and stops at the first one it
  # cannot reverse: the last in the file.
  def change do
    alter table(:users) do
      remove :legacy
    end

    alter table(:orders) do # want "alter table orders"
      remove_if_exists :legacy, :string
    end
  end
end
