defmodule App.Repo.Migrations.EmptyDown do
  use Ecto.Migration

  def change do
    if true do
      execute "UPDATE users SET role = 'member' WHERE role IS NULL; UPDATE users SET plan = 'free' WHERE plan IS NULL", "" # want "holds 2 SQL statements \\(UPDATE, UPDATE\\)"
    end
  end
end
