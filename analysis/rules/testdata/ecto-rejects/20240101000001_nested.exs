defmodule App.Repo.Migrations.Nested do
  use Ecto.Migration

  def change do
    create table(:posts) do
      add :title, :string
      create index(:posts, [:title]) # want "cannot execute nested commands"
    end

    create constraint(:posts, :title_present) # want "either a check or exclude option"
  end
end
