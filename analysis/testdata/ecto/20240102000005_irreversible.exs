defmodule Demo.Repo.Migrations.Irreversible do
  use Ecto.Migration

  def change do
    create table(:tags) do
      add :name, :string
    end

    execute "UPDATE tags SET name = lower(name)"

    alter table(:users) do
      modify :email, :text
    end
  end
end
