defmodule Demo.Repo.Migrations.ExecuteForms do
  use Ecto.Migration

  @table "accounts"
  @create_fn """
  CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$
  BEGIN
    NEW.updated_at = now();
    RETURN NEW;
  END;
  $$ LANGUAGE plpgsql
  """

  def change do
    execute "CREATE EXTENSION IF NOT EXISTS citext", "DROP EXTENSION IF EXISTS citext"

    execute """
            ALTER TABLE #{@table}
              ADD COLUMN note text
            """,
            ~S"""
            ALTER TABLE accounts DROP COLUMN note
            """

    execute(@create_fn, "DROP FUNCTION touch()")
    execute ~s|UPDATE "accounts" SET note = 'it''s \x41'|, ""
    execute(&up_sql/0, &down_sql/0)
  end

  defp up_sql, do: repo().query!("ANALYZE accounts", [], log: :info)
  defp down_sql, do: repo().query!("SELECT 1")
end
