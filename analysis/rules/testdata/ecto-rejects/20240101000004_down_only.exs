defmodule App.Repo.Migrations.DownOnly do
  use Ecto.Migration

  def up do
    create index(:posts, [:title])
  end

  def down do
    drop index(:posts, [:title], order: [title: :desc]) # want "index/3 does not accept the option order: \\(Ecto raises KeyError\\). Rolling the migration back \\(`mix ecto.rollback`\\) stops here"
  end
end
