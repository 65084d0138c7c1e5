defmodule App.Repo.Migrations.Transactional do
  use Ecto.Migration

  def change do
    alter table(:users) do
      add :age, :integer
    end

    create index(:users, [:age])
    execute "UPDATE users SET age = 0", ""
  end
end
