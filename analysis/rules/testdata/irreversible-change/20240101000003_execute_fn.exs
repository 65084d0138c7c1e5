defmodule App.Repo.Migrations.ExecuteFn do
  use Ecto.Migration

  def change do
    execute(fn -> repo().query!("UPDATE users SET role = 'member' WHERE role IS NULL") end) # want "execute\\(fn\\)"
  end
end
