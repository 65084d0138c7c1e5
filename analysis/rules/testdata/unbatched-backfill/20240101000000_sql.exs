defmodule App.Repo.Migrations.Sql do
  use Ecto.Migration

  def change do
    # é 𐐀: multi-byte text before a finding
    execute "UPDATE users SET role = 'member'", "" # want "UPDATE without WHERE writes every row of \"users\" in one statement inside the migration transaction: each row stays locked until the migration commits"
    # want +2 "DELETE without WHERE deletes every row of \"sessions\""
    execute """
    DELETE FROM sessions
    """, ""
    execute "UPDATE orders o SET total = s.total FROM order_sums s WHERE s.order_id = o.id", ""
  end
end
