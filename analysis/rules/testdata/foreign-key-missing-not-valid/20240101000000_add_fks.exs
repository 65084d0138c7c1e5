defmodule App.Repo.Migrations.AddFks do
  use Ecto.Migration

  @ref_opts [on_delete: :nilify_all]

  def change do
    alter table(:posts) do
      # é 𐐀: multi-byte text before a finding
      add :user_id, references(:users) # want "ADD CONSTRAINT \"posts_user_id_fkey\" FOREIGN KEY checks every row of existing table \"posts\" against \"users\" while holding ACCESS EXCLUSIVE on \"posts\" \\(every read and write waits\\) and SHARE ROW EXCLUSIVE on \"users\" \\(every write \\(INSERT, UPDATE, DELETE\\) there waits\\)"
      add :title, :string
      add :org_id, references(:orgs, on_delete: :delete_all, validate: true) # want "Add it with `validate: false`"
    end

    alter table(:posts) do
      # dropping the old key takes ACCESS EXCLUSIVE on "users" for the whole statement
      modify :editor_id, references(:users, on_delete: :nilify_all), from: references(:users) # want "\"posts_editor_id_fkey\".* and ACCESS EXCLUSIVE on \"users\" \\(every read and write there waits\\)"
    end

    alter table(:drafts) do
      # options not written out: no fix
      add :owner_id, references(:users, @ref_opts) # want "\"drafts_owner_id_fkey\" FOREIGN KEY"
    end

    execute "ALTER TABLE comments ADD CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE", "ALTER TABLE comments DROP CONSTRAINT comments_post_id_fkey" # want "while holding SHARE ROW EXCLUSIVE on \"comments\" \\(every write \\(INSERT, UPDATE, DELETE\\) waits\\).*Add it NOT VALID"

    # want +2 "FOREIGN KEY checks every row of existing table \"audit.events\""
    execute """
    ALTER TABLE audit.events ADD FOREIGN KEY (user_id) REFERENCES users (id)
    """, ""

    # not the last sub-command: no automatic NOT VALID
    repo().query!("ALTER TABLE tags ADD CONSTRAINT tags_owner_fkey FOREIGN KEY (owner_id) REFERENCES users (id), ADD COLUMN note text") # want "\"tags_owner_fkey\" FOREIGN KEY checks every row of existing table \"tags\".*ACCESS EXCLUSIVE on \"tags\""
  end
end
