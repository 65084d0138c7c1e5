defmodule Shop.Repo.Migrations.AddSettingsJson do
  use Ecto.Migration

  def change do
    alter table(:users) do
      add :settings, :json
      add :last_seen_at, :utc_datetime
    end

    execute """
            CREATE INDEX users_lower_name_index ON users (lower(name));
            """,
            "DROP INDEX users_lower_name_index"
  end
end
