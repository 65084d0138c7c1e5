defmodule App.Repo.Migrations.AddUniqueConstraints do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    execute "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)", "ALTER TABLE users DROP CONSTRAINT users_email_key" # want "ADD CONSTRAINT \"users_email_key\" UNIQUE builds its unique index while holding ACCESS EXCLUSIVE on existing table \"users\": every read and write on the table waits for the whole build, a time proportional to the table size. Build the index first with `create unique_index\\(:users, \\[:email\\], concurrently: true\\)` in a migration with @disable_ddl_transaction true and @disable_migration_lock true, then add the constraint with `ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_index`"

    # want +2 "ADD PRIMARY KEY builds its unique index.*\"accounts\".*ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_uuid_index`.*also makes its columns NOT NULL"
    execute """
    ALTER TABLE accounts ADD PRIMARY KEY (uuid)
    """, ""

    repo().query!("ALTER TABLE tags ADD COLUMN slug text UNIQUE") # want "ADD COLUMN \"slug\" ... UNIQUE builds its unique index while holding ACCESS EXCLUSIVE on existing table \"tags\""

    execute "ALTER TABLE audit.events ADD UNIQUE (org_id, seq)", "" # want "`create unique_index\\(:events, \\[:org_id, :seq\\], prefix: \"audit\", concurrently: true\\)`.*ADD CONSTRAINT events_org_id_seq_key UNIQUE USING INDEX events_org_id_seq_index"

    alter table(:memberships) do
      add :user_id, :bigint
      add :org_id, :bigserial, primary_key: true # want "ADD PRIMARY KEY builds its unique index while holding ACCESS EXCLUSIVE on existing table \"memberships\""
    end
  end
end
