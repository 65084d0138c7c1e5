defmodule Shop.Repo.Migrations.RemoveWorkspace do
  use Ecto.Migration

  # The workspace knows lib/shop/accounts/user.ex still has `field :email`.
  def change do
    alter table(:users) do
      remove :email, :string # want "^Breaks the application: 1 Ecto schema in lib/ still has a field stored in this column"
      remove :age, :integer # want "^DROP COLUMN \"users\".\"age\""
    end
  end
end
