defmodule Shop.Repo.Migrations.NotNullWorkspace do
  use Ecto.Migration

  def change do
    alter table(:users) do
      # The workspace knows a validated CHECK (login_count IS NOT NULL): no scan.
      modify :login_count, :integer, null: false, from: :integer
    end

    alter table(:users) do
      modify :email, :string, null: false, from: :string # want "SET NOT NULL on \"users\".\"email\""
    end
  end
end
