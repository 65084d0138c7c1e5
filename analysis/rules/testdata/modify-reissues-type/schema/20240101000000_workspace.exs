defmodule Shop.Repo.Migrations.ModifyWorkspace do
  use Ecto.Migration

  # The workspace knows users.email is varchar(255) and users.name varchar(100).
  def change do
    alter table(:users) do
      modify :email, :string, null: false # want "`modify :email` sends ALTER COLUMN \"email\" TYPE varchar\\(255\\), the type the column already has"
    end

    alter table(:users) do
      modify :name, :string, null: true
    end
  end
end
