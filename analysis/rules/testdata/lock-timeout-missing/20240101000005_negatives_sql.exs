defmodule App.Repo.Migrations.NegativesSql do
  use Ecto.Migration

  def up do
    # A table created here: nobody else can be waiting on it.
    create table(:invoices) do
      add :number, :string
    end

    alter table(:invoices) do
      add :total, :integer
    end

    # Weaker locks do not block reads.
    create index(:users, [:email])
    execute "ALTER TABLE users SET (fillfactor = 70)"

    # lock_timeout set in SQL before the ALTER.
    execute "SET LOCAL lock_timeout = '3s'"
    execute "ALTER TABLE users DROP COLUMN legacy"
  end

  def down do
    drop table(:invoices)
  end
end
