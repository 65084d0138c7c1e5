defmodule App.Repo.Migrations.SqlUp do
  use Ecto.Migration

  def up do
    execute "ALTER TABLE comments ADD CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES posts (id) NOT VALID"

    # want +2 "the SHARE ROW EXCLUSIVE lock taken on \"comments\" by the ADD is held until COMMIT, so every write \\(INSERT, UPDATE, DELETE\\) on the table waits"
    execute """
      ALTER TABLE comments
      VALIDATE CONSTRAINT comments_post_id_fkey
    """

    execute "ALTER TABLE tags ADD CONSTRAINT tags_name_present CHECK (name IS NOT NULL) NOT VALID"
    flush()
    repo().query!("ALTER TABLE tags VALIDATE CONSTRAINT tags_name_present") # want "VALIDATE CONSTRAINT \"tags_name_present\".*ACCESS EXCLUSIVE lock taken on \"tags\""
  end

  def down do
    execute "ALTER TABLE comments DROP CONSTRAINT comments_post_id_fkey"
  end
end
