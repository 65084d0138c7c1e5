defmodule App.Repo.Migrations.Negatives do
  use Ecto.Migration

  def change do
    execute "SELECT 1;", ""
    execute """
    -- one statement, a comment and a trailing semicolon
    UPDATE users SET role = 'member' WHERE role IS NULL;
    """, ""

    execute """
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.updated_at := now();
              RETURN NEW;
            END;
            $$
            """,
            "DROP FUNCTION touch()"

    execute "DO $$ BEGIN UPDATE a SET x = 1; UPDATE b SET y = 2; END $$", ""
    execute "UPDATE users SET note = 'a; b' WHERE id = 1", ""
  end
end
