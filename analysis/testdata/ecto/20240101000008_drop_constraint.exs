defmodule Demo.Repo.Migrations.DropConstraint do
  use Ecto.Migration

  def up do
    drop_if_exists constraint(:users, :c), mode: :cascade
  end

  def down, do: :ok
end
