defmodule App.Repo.Migrations.NewTable do
  use Ecto.Migration

  # An index on a table created in the same migration blocks nobody.
  def change do
    create table(:invoices) do
      add :number, :string
    end

    create unique_index(:invoices, [:number])
    execute "CREATE INDEX invoices_lower_number ON invoices (lower(number))", ""
  end
end
