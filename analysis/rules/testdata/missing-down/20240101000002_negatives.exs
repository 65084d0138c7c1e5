defmodule App.Repo.Migrations.Negatives do
  use Ecto.Migration

  def up do
    execute "UPDATE users SET role = 'member' WHERE role IS NULL"
  end

  def down, do: :ok
end

defmodule App.Repo.Migrations.Other do
  def up, do: :not_a_migration
end
