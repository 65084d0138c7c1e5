defmodule Demo.Repo.Migrations.RemoveWithoutType do
  use Ecto.Migration

  def change do
    rename table(:posts), :title, to: :headline
    rename table(:posts), to: table(:articles)

    alter table(:articles) do
      add :summary, :text
      remove :legacy
    end
  end
end
