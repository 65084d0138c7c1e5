defmodule Shop.Repo.Migrations.DropLegacyFlag do
  use Ecto.Migration

  # Dangerous while Shop.Accounts.User still has the field.
  def change do
    alter table(:users) do
      remove :legacy_flag, :boolean, default: false
    end
  end
end
