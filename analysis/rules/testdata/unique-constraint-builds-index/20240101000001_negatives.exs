defmodule App.Repo.Migrations.UniqueNegatives do
  use Ecto.Migration

  # Constraints adopting an index built beforehand, and a table created here.
  def change do
    execute "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_index", ""
    execute "ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_uuid_index", ""

    create table(:coupons, primary_key: false) do
      add :code, :string, primary_key: true
    end

    execute "ALTER TABLE coupons ADD CONSTRAINT coupons_code_key UNIQUE (code)", ""

    alter table(:coupons) do
      add :shop_id, :bigint, primary_key: true
    end

    # lockwise:disable-next-line unique-constraint-builds-index -- tags has 20 rows
    execute "ALTER TABLE tags ADD CONSTRAINT tags_name_key UNIQUE (name)", ""
  end
end
