defmodule App.Repo.Migrations.Wrapper do
  # The project's wrapper is where Ecto's documentation sets lock_timeout.
  use App.Migration

  def change do
    alter table(:users) do
      add :role, :string
    end
  end
end
