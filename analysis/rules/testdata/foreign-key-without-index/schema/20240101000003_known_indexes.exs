defmodule App.Repo.Migrations.KnownIndexes do
  use Ecto.Migration

  # The workspace knows posts(user_id) is indexed, and posts(org_id) is not.
  def change do
    alter table(:posts) do
      add :user_id, references(:users, validate: false)
      add :org_id, references(:orgs, validate: false) # want "\"posts\"\\(org_id\\) -> \"orgs\" has no index"
    end
  end
end
