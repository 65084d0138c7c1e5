defmodule App.Repo.Migrations.DropIndexes do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    drop index(:users, [:email]) # want "DROP INDEX \"users_email_index\" without CONCURRENTLY takes ACCESS EXCLUSIVE on \"users\": every read and write on the table waits from the moment it queues for the lock .* until the migration's transaction commits"
    drop_if_exists index(:posts, [:title], prefix: "blog") # want "ACCESS EXCLUSIVE on \"blog.posts\""
    drop index(:comments, [:body], name: :comments_body_idx), mode: :cascade # want "\"comments\".*CONCURRENTLY cannot CASCADE"

    # want +2 "DROP INDEX \"tags_name\" without CONCURRENTLY takes ACCESS EXCLUSIVE on its table \\(which lockwise does not know here\\)"
    execute """
    DROP INDEX tags_name
    """, "CREATE INDEX tags_name ON tags (name)"
  end
end
