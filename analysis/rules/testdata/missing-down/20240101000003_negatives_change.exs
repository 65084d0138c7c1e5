defmodule App.Repo.Migrations.NegativesChange do
  use Ecto.Migration

  # up/0 migrates, change/0 reversed rolls back: Ecto accepts it.
  def up do
    alter table(:users) do
      add :role, :string
    end
  end

  def change do
    alter table(:users) do
      add :role, :string
    end
  end
end
