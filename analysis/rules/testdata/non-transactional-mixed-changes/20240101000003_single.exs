defmodule App.Repo.Migrations.Single do
  use Ecto.Migration
  @disable_ddl_transaction true

  # One statement applies entirely or not at all.
  def change do
    alter table(:users) do
      add :age, :integer
      add :nickname, :string
    end
  end
end
