defmodule Demo.Migrations.Helpers do
  def audit_columns do
    Ecto.Migration.add(:created_by, :string)
  end
end

defmodule Demo.Repo.Migrations.HelpersAndLoops do
  use Ecto.Migration
  import Demo.Migrations.Helpers

  @tables [:invoices, :payments]

  def up do
    for table <- @tables do
      alter table(table) do
        add :archived_at, :utc_datetime
      end

      create index(table, [:archived_at])
    end

    Enum.each(~w(refunds credits)a, fn t -> add_tenant(t) end)

    for t <- Application.get_env(:demo, :tenant_tables, []) do
      create index(t, [:tenant_id])
    end

    create_audit(:ledger)
  end

  def down do
    drop_if_exists index(:ledger, [:created_by])
  end

  defp add_tenant(table, column \\ :tenant_id) do
    alter table(table) do
      add column, :bigint
    end
  end

  defp create_audit(name) do
    alter table(name) do
      Demo.Migrations.Helpers.audit_columns()
    end

    create index(name, [:created_by])
  end
end
