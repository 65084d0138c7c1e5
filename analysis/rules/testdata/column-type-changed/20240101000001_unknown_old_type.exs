defmodule Shop.Repo.Migrations.UnknownOldType do
  use Ecto.Migration

  def up do
    alter table(:users) do
      modify :score, :integer # want "ALTER COLUMN \"users\".\"score\" TYPE integer: lockwise does not know the column's old type"
    end

    execute "ALTER TABLE products ALTER COLUMN price TYPE numeric(12,2)" # want "\"products\".\"price\" TYPE numeric\\(12,2\\): lockwise does not know"

    # want +2 "USING computes every value again"
    execute """
    ALTER TABLE products ALTER COLUMN code TYPE integer USING code::integer
    """

    repo().query!("ALTER TABLE carts ALTER COLUMN note TYPE text, ALTER COLUMN qty TYPE bigint") # want "\"carts\".\"note\" TYPE text: lockwise does not know" "\"carts\".\"qty\" TYPE bigint: lockwise does not know"
  end

  def down do
  end
end
