package rules

import (
	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// ConcurrentlyInTransaction: CONCURRENTLY inside Ecto's DDL transaction is
// rejected by PostgreSQL (25001).
var ConcurrentlyInTransaction = &analysis.Analyzer{
	Name:     "concurrently-in-transaction",
	Doc:      "CONCURRENTLY without @disable_ddl_transaction true: PostgreSQL rejects it inside the migration's transaction (25001)",
	Severity: analysis.Error,
	EM:       []string{"index_concurrently_without_disable_ddl_transaction"},
	Run:      runConcurrentlyInTransaction,
}

func runConcurrentlyInTransaction(p *analysis.Pass) {
	for _, ds := range bothDirections(p) {
		sf := ds.sf
		what := concurrentKind(sf.Stmt.Desc, true)
		if what == "" || sf.Facts.Fails == nil || sf.Facts.Fails.Code != "25001" {
			continue
		}
		run := "`mix ecto.migrate` stops here"
		if ds.down {
			run = "rolling the migration back stops here"
		}
		msg := what + " cannot run inside a transaction block and this migration runs in Ecto's DDL transaction: " +
			"PostgreSQL rejects it (ERROR 25001: " + sf.Facts.Fails.Message + "), " + run + " and the transaction rolls back. " +
			"Set @disable_ddl_transaction true and @disable_migration_lock true in the module, " +
			"and keep the migration to the concurrent index work (without the transaction a failure leaves earlier statements applied)."
		start, end := where(sf)
		d := diag(sf, start, end, msg)
		if edits := attributeEdits(p.Migration, "disable_ddl_transaction", "disable_migration_lock"); len(edits) > 0 {
			d.Fixes = append(d.Fixes, analysis.Fix{Title: "Run the migration outside a transaction", Kind: analysis.QuickFix, Edits: edits})
		}
		p.Report(d)
	}
}

// concurrentKind names the CONCURRENTLY form of a statement ("CREATE INDEX
// CONCURRENTLY"), "" when it has none. detach includes ALTER TABLE ...
// DETACH PARTITION CONCURRENTLY, which is not index work.
func concurrentKind(d pgsql.Description, detach bool) string {
	switch d := d.(type) {
	case *pgsql.CreateIndex:
		if d.Concurrently {
			return "CREATE INDEX CONCURRENTLY"
		}
	case *pgsql.Drop:
		if d.Concurrently && d.Object == pgsql.ObjectIndex {
			return "DROP INDEX CONCURRENTLY"
		}
	case *pgsql.Reindex:
		if d.Concurrently {
			return "REINDEX CONCURRENTLY"
		}
	case *pgsql.AlterTable:
		for _, c := range d.Cmds {
			if detach && c.Kind == pgsql.AlterDetachPartition && c.Concurrently {
				return "ALTER TABLE ... DETACH PARTITION CONCURRENTLY"
			}
		}
	}
	return ""
}

// dirStmt is a statement of one direction.
type dirStmt struct {
	sf   *analysis.StmtFacts
	down bool
}

// bothDirections lists the statements of the up direction, then those of
// the down direction that are written in the file apart from the up ones
// (down/0, the down SQL of execute/2): a command of change/0 reversed by
// Ecto sits at the place of its up form, which is reported already.
func bothDirections(p *analysis.Pass) []dirStmt {
	var out []dirStmt
	for _, sf := range statements(p) {
		out = append(out, dirStmt{sf: sf})
	}
	for _, of := range p.Down {
		if of.Op.Reversed && of.Op.Exec == nil {
			continue
		}
		for _, sf := range of.Stmts {
			out = append(out, dirStmt{sf: sf, down: true})
		}
	}
	return out
}
