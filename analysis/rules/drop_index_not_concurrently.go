package rules

import (
	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// DropIndexNotConcurrently: DROP INDEX without CONCURRENTLY takes ACCESS
// EXCLUSIVE on the index's table.
var DropIndexNotConcurrently = &analysis.Analyzer{
	Name:     "drop-index-not-concurrently",
	Doc:      "index dropped without CONCURRENTLY: ACCESS EXCLUSIVE on its table stops every read and write while it waits and runs",
	Severity: analysis.Warning,
	EM:       []string{"index_not_concurrently"},
	Run:      runDropIndexNotConcurrently,
}

func runDropIndexNotConcurrently(p *analysis.Pass) {
	for _, sf := range statements(p) {
		d, ok := sf.Stmt.Desc.(*pgsql.Drop)
		if !ok || d.Object != pgsql.ObjectIndex || d.Concurrently || sf.Facts.TableNew || sf.Facts.Fails != nil || len(d.Names) == 0 {
			continue
		}
		f := sf.Facts
		index := d.Names[0].String()
		on := "its table (which lockwise does not know here)"
		mode := f.Lock(index)
		if f.Table != "" {
			on = tableName(f.Table)
			mode = max(f.Mode, f.Held)
		}
		how := "`concurrently: true`"
		if fromSQL(sf) {
			how = "DROP INDEX CONCURRENTLY"
		}
		msg := "DROP INDEX " + tableName(index) + " without CONCURRENTLY takes " + mode.String() + " on " + on + ": " +
			modeBlocks(mode) + " on the table waits " + lockSpan(p) + ". " +
			"Drop it with " + how + " (SHARE UPDATE EXCLUSIVE: reads and writes go on) " +
			"in a migration of its own with @disable_ddl_transaction true and @disable_migration_lock true"
		switch {
		case d.Cascade:
			msg += "; CONCURRENTLY cannot CASCADE, so drop what depends on the index first."
		case len(d.Names) > 1:
			msg += "; CONCURRENTLY drops one index per statement."
		default:
			msg += "."
		}
		start, end := where(sf)
		dg := diag(sf, start, end, msg)
		if fix, ok := concurrentlyFix(p, sf); ok && !d.Cascade {
			fix.Title = "Drop the index concurrently"
			dg.Fixes = append(dg.Fixes, fix)
		}
		p.Report(dg)
	}
}

// modeBlocks says which queries a lock mode on a table makes wait.
func modeBlocks(m locks.Mode) string {
	switch {
	case m.BlocksReads():
		return "every read and write"
	case m.BlocksWrites():
		return "every write (INSERT, UPDATE, DELETE)"
	}
	return "nothing"
}

// lockSpan says how long a short statement's lock makes traffic wait: in
// the migration transaction, until COMMIT.
func lockSpan(p *analysis.Pass) string {
	if p.Migration.Transaction {
		return "from the moment it queues for the lock (behind any query already running there) until the migration's transaction commits"
	}
	return "while it queues for the lock (behind any query already running there) and runs"
}
