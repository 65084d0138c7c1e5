defmodule App.Repo.Migrations.NoCallback do # want "does not implement a `up/0` or `change/0` function"
  use Ecto.Migration

  def upp do
    execute "SELECT 1"
  end
end
