defmodule App.Repo.Migrations.FkNegatives do
  use Ecto.Migration

  # NOT VALID forms, and foreign keys of tables created in this migration.
  def change do
    alter table(:posts) do
      add :user_id, references(:users, validate: false)
    end

    execute "ALTER TABLE comments ADD CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES posts (id) NOT VALID", ""

    create table(:likes) do
      add :post_id, references(:posts)
    end

    alter table(:likes) do
      add :user_id, references(:users)
    end

    execute "ALTER TABLE likes ADD CONSTRAINT likes_org_fkey FOREIGN KEY (org_id) REFERENCES orgs (id)", ""

    alter table(:posts) do
      # excellent_migrations:safety-assured-for-next-line column_reference_added
      add :org_id, references(:orgs)
    end

    # Emptied earlier in the transaction: the validation reads no row.
    execute "DELETE FROM sessions", ""

    alter table(:sessions) do
      add :token_id, references(:tokens), null: false
    end
  end
end
