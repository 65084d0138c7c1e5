defmodule App.Repo.Migrations.NegativesSuppressed do
  use Ecto.Migration

  def change do
    alter table(:orders) do
      add :code, :integer
    end

    # excellent_migrations:safety-assured-for-next-line operation_update
    execute "UPDATE orders SET code = 1 WHERE status = 'paid'", ""
    # lockwise:disable-next-line backfill-with-schema-change -- orders holds ten rows
    execute(fn -> repo().update_all("orders", set: [code: 2]) end, fn -> :ok end)
  end
end
