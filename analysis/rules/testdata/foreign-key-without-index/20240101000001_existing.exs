defmodule App.Repo.Migrations.AddAuthor do
  use Ecto.Migration

  def change do
    alter table(:posts) do
      add :editor_id, references(:users, validate: false) # want "foreign key \"posts\"\\(editor_id\\) -> \"users\" has no index.*`create index\\(:posts, \\[:editor_id\\], concurrently: true\\)` in a migration of its own"
    end

    execute "ALTER TABLE tags ADD CONSTRAINT tags_owner_fkey FOREIGN KEY (owner_id, org_id) REFERENCES users (id, org_id) NOT VALID", "" # want "\"tags\"\\(owner_id, org_id\\)"
  end
end
