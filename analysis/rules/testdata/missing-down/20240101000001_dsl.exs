defmodule App.Repo.Migrations.Dsl do
  use Ecto.Migration

  defp helper, do: :ok

  def up do # want "Write a down/0 that undoes up/0"
    alter table(:users) do
      add :role, :string
    end

    helper()
  end
end
