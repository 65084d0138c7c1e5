defmodule App.Repo.Migrations.WideIndexes do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true

  def change do
    # é 𐐀: multi-byte text before a finding
    create index(:orders, [:shop_id, :state, :customer_id, :inserted_at], concurrently: true) # want "non-unique index \"orders_shop_id_state_customer_id_inserted_at_index\" on 4 columns \\(shop_id, state, customer_id, inserted_at\\) of \"orders\": an index this wide is large"
    execute "CREATE INDEX CONCURRENTLY orders_search ON orders (shop_id, lower(email), state, total, placed_on)", "DROP INDEX orders_search" # want "on 5 columns \\(shop_id, lower\\(email\\), state, total, placed_on\\)"

    create table(:events) do
      add :a, :integer
      add :b, :integer
      add :c, :integer
      add :d, :integer
    end

    # a new table gets the same advice
    create index(:events, [:a, :b, :c, :d]) # want "on 4 columns"
  end
end
