defmodule App.Repo.Migrations.AddIndexes do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    create index(:users, [:email]) # want "CREATE INDEX without CONCURRENTLY on existing table \"users\" takes a SHARE lock"
    create unique_index("users", [:org_id, :name], name: :users_org_name) # want "SHARE lock"
    index(:posts, [:title]) |> create() # want "posts"
    create_if_not_exists index(:posts, [:slug]) # want "posts"

    # want +2 "CREATE INDEX without CONCURRENTLY on existing table \"comments\""
    execute """
    CREATE INDEX comments_lower_body ON comments (lower(body))
    """

    execute "CREATE UNIQUE INDEX IF NOT EXISTS tags_name ON tags (name)", "DROP INDEX tags_name" # want "tags"
  end
end
