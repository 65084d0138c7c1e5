defmodule Demo.Repo.Migrations.DynamicValues do
  use Ecto.Migration

  @schema Application.compile_env(:demo, :schema, "public")

  def change do
    create table(:events, prefix: @schema) do
      add :kind, :string
    end

    create index(:events, [:kind], prefix: prefix())
    execute "GRANT SELECT ON #{@schema}.events TO reporting", "REVOKE SELECT ON #{@schema}.events FROM reporting"
  end
end
