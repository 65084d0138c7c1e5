defmodule App.Repo.Migrations.Negatives do
  use Ecto.Migration

  def change do
    alter table(:users) do
      add :role, :string
      add :born_at, :utc_datetime
      add :price, :decimal, precision: 10, scale: 2
      timestamps()
    end

    create index(:users, [:email], concurrently: false)
    create constraint(:users, :age_positive, check: "age > 0")
    # Code lockwise cannot follow is not an Ecto error.
    MyApp.Seeds.run()
  end
end
