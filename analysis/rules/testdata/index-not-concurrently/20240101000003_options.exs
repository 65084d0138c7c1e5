defmodule App.Repo.Migrations.IndexOptions do
  use Ecto.Migration

  @opts [name: :users_email_idx]

  def change do
    # options not written out: no fix (an extra argument would change the arity)
    create index(:users, [:email], @opts) # want "CREATE INDEX without CONCURRENTLY"
    # options in brackets: the fix goes inside them
    create index(:users, [:name], [name: :users_name_idx]) # want "CREATE INDEX without CONCURRENTLY"
    create index(:users, [:nick], concurrently: false) # want "CREATE INDEX without CONCURRENTLY"
  end
end
