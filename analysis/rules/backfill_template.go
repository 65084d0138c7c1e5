package rules

import "fmt"

// backfillMigration is the body of a backfill migration that the
// expand-contract splits create. It walks the table in keyset batches of
// @batch_size rows ordered by key, each UPDATE in its own short transaction
// (no DDL transaction, no migration lock), pausing @throttle_ms between
// batches; pending selects the rows still to fill, so it is safe to run
// again.
type backfillMigration struct {
	comment string // "  # ..." lines above up/0
	source  string // the table in from(r in ...): `"users"` or `"users", prefix: "audit"`
	key     string // the column ordering the batches
	pending string // Ecto query condition on r: the rows still to fill
	set     string // the keyword list of update: [set: ...], on r
	extra   string // more definitions after the helpers
}

func (b backfillMigration) body() string {
	return fmt.Sprintf(`  import Ecto.Query

  @disable_ddl_transaction true
  @disable_migration_lock true
  @batch_size 1_000
  @throttle_ms 100

%[1]s  def up, do: backfill(nil)

  def down, do: :ok

  defp backfill(last_id) do
    case next_ids(last_id) do
      [] ->
        :ok

      ids ->
        from(r in %[2]s,
          where: r.%[3]s in ^ids,
          update: [set: %[5]s]
        )
        |> repo().update_all([])

        Process.sleep(@throttle_ms)
        backfill(List.last(ids))
    end
  end

  defp next_ids(nil), do: repo().all(page(from(r in %[2]s)))
  defp next_ids(last_id), do: repo().all(page(from(r in %[2]s, where: r.%[3]s > ^last_id)))

  defp page(query) do
    from(r in query,
      where: %[4]s,
      order_by: [asc: r.%[3]s],
      select: r.%[3]s,
      limit: @batch_size
    )
  end
%[6]s`, b.comment, b.source, b.key, b.pending, b.set, b.extra)
}
