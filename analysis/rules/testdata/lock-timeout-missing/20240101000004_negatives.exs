defmodule App.Repo.Migrations.Negatives do
  use Ecto.Migration

  # lock_timeout set at the start of the transaction.
  def after_begin do
    repo().query!("SET LOCAL lock_timeout TO '5s'")
  end

  def change do
    alter table(:users) do
      add :role, :string
    end
  end
end
