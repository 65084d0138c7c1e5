defmodule App.Repo.Migrations.OutsideBlock do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    add :role, :string # want "Ecto raises \"cannot execute command outside of block\": add must be inside create table/alter table. `mix ecto.migrate` stops on this migration"
    timestamps() # want "timestamps must be inside"

    alter table(:users) do
      add :born_at, :datetime # want "the :datetime type in migrations is not supported"
      add :price, :decimal, scale: 2 # want "missing precision option"
    end

    create index(:users, [:email], concurrenly: true) # want "does not accept the option concurrenly"
    execute create: "x" # want "does not support keyword lists"
  end
end
