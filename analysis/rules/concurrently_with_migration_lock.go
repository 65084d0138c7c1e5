package rules

import (
	"github.com/lockwise/lockwise/analysis"
)

// ConcurrentlyWithMigrationLock: concurrent index work under Ecto's
// default table migration lock.
var ConcurrentlyWithMigrationLock = &analysis.Analyzer{
	Name:     "concurrently-with-migration-lock",
	Doc:      "CONCURRENTLY without @disable_migration_lock true while the repo uses Ecto's default table migration lock",
	Severity: analysis.Warning,
	EM:       []string{"index_concurrently_without_disable_migration_lock"},
	Run:      runConcurrentlyWithMigrationLock,
}

func runConcurrentlyWithMigrationLock(p *analysis.Pass) {
	if !p.Migration.MigrationLock || p.Repo != nil && (p.Repo.MigrationLock == "pg_advisory_lock" || p.Repo.MigrationLock == "none") {
		return
	}
	for _, ds := range bothDirections(p) {
		sf := ds.sf
		what := concurrentKind(sf.Stmt.Desc, false)
		if what == "" || sf.Facts.Fails != nil {
			continue // in a transaction it fails: concurrently-in-transaction says so
		}
		msg := what + " under Ecto's default migration lock: for the whole migration a second connection keeps a transaction open " +
			"holding LOCK TABLE \"schema_migrations\" IN SHARE UPDATE EXCLUSIVE MODE, while CONCURRENTLY waits for transactions " +
			"with older snapshots anywhere in the database before it finishes, and Ecto documents that the two do not work together. " +
			"Set @disable_migration_lock true, or `migration_lock: :pg_advisory_lock` in the repo config " +
			"(an advisory lock holds no transaction and still keeps two nodes from migrating at once)."
		start, end := where(sf)
		d := diag(sf, start, end, msg)
		if edits := attributeEdits(p.Migration, "disable_migration_lock"); len(edits) > 0 {
			d.Fixes = append(d.Fixes, analysis.Fix{Title: "Disable the migration lock", Kind: analysis.QuickFix, Edits: edits})
		}
		p.Report(d)
	}
}
