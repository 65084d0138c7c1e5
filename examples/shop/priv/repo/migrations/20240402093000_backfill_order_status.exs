defmodule Shop.Repo.Migrations.BackfillOrderStatus do
  use Ecto.Migration

  # Risky: a schema change and a whole-table UPDATE in one transaction.
  def up do
    alter table(:orders) do
      add :notes, :text
    end

    execute "UPDATE orders SET status = 'complete' WHERE status = 'done'"
  end

  def down do
    alter table(:orders) do
      remove :notes
    end
  end
end
