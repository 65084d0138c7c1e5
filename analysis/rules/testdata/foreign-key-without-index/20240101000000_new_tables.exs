defmodule App.Repo.Migrations.CreateComments do
  use Ecto.Migration

  def change do
    create table(:comments) do
      # é 𐐀: multi-byte text before a finding
      add :post_id, references(:posts, on_delete: :delete_all) # want "foreign key \"comments\"\\(post_id\\) -> \"posts\" has no index on \"comments\"\\(post_id\\): PostgreSQL indexes only the referenced key, so every DELETE of a \"posts\" row \\(and every change of its key\\) scans \"comments\" for referencing rows.*Add `create index\\(:comments, \\[:post_id\\]\\)` in this migration"
      add :author_id, references(:users)
      add :body, :text
      timestamps()
    end

    create index(:comments, [:author_id, :inserted_at])

    create table(:reactions, prefix: "social") do
      add :comment_id, references(:comments), null: false # want "\"social.reactions\"\\(comment_id\\) -> \"social.comments\".*create index\\(:reactions, \\[:comment_id\\], prefix: \"social\"\\)"
    end

    execute "CREATE TABLE votes (id bigserial PRIMARY KEY, comment_id bigint REFERENCES comments (id))", "DROP TABLE votes" # want "\"votes\"\\(comment_id\\) -> \"comments\""
  end
end
