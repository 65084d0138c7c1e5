defmodule App.Repo.Migrations.AddStatusCode do
  use Ecto.Migration

  def change do
    alter table(:orders) do
      add :status_code, :integer
    end

    # é 𐐀: multi-byte text before a finding
    execute "UPDATE orders SET status_code = 1 WHERE status = 'paid'", "" # want "UPDATE of \"orders\" in the same migration as a schema change: it runs in the same transaction as the ALTER TABLE on \"orders\" at line 5, whose ACCESS EXCLUSIVE lock is held until COMMIT: every read and write of \"orders\" waits for the whole data change"
    execute(fn -> repo().update_all("orders", set: [status_code: 0]) end, fn -> :ok end) # want "the data change in execute\\(fn\\) in the same migration"
  end
end
