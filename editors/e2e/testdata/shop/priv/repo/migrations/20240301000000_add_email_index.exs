defmodule Shop.Repo.Migrations.AddEmailIndex do
  use Ecto.Migration

  def change do
    alter table(:users) do
      add :nickname, :string
    end

    create index(:users, [:email])
  end
end
