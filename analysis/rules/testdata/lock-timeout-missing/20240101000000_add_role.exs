defmodule App.Repo.Migrations.AddRole do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    alter table(:users) do # want "ALTER TABLE waits for an ACCESS EXCLUSIVE lock on existing table \"users\" with no lock_timeout set"
      add :role, :string
    end

    # Reported once per migration: not again here.
    execute "ALTER TABLE users ADD COLUMN nickname text", "ALTER TABLE users DROP COLUMN nickname"
  end
end
