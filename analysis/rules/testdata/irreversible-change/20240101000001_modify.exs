defmodule App.Repo.Migrations.Modify do
  use Ecto.Migration

  def change do
    alter table(:users) do # want "cannot reverse migration command: alter table users.*from:"
      add :nickname, :string
      modify :age, :bigint
    end
  end
end
