defmodule Shop.Repo.Migrations.RenameTableNegatives do
  use Ecto.Migration

  def change do
    create table(:drafts) do
      add :body, :text
    end

    # Created in this migration: nobody uses it yet.
    rename table(:drafts), to: table(:notes)
    # Renaming a column is column-renamed's business; an index breaks nothing.
    rename table(:users), :nickname, to: :handle
    execute "ALTER INDEX users_email_index RENAME TO users_email_idx", "ALTER INDEX users_email_idx RENAME TO users_email_index"
  end
end
