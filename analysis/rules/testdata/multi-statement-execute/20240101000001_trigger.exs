defmodule App.Repo.Migrations.Trigger do
  use Ecto.Migration

  def change do
    # want +2 "holds 2 SQL statements \\(CREATE FUNCTION, CREATE TRIGGER\\).*so the migration fails here"
    execute """
            -- keep updated_at current
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.updated_at := now();
              RETURN NEW;
            END;
            $$;

            CREATE TRIGGER users_touch BEFORE UPDATE ON users
              FOR EACH ROW EXECUTE FUNCTION touch();
            """,
            "DROP TRIGGER users_touch ON users; DROP FUNCTION touch()" # want "holds 2 SQL statements \\(DROP TRIGGER, DROP FUNCTION\\).*rolling the migration back fails here"
  end
end
