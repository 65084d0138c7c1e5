package rules

import (
	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// IndexNotConcurrently: an index built on an existing table without
// CONCURRENTLY holds a SHARE lock for the whole build.
var IndexNotConcurrently = &analysis.Analyzer{
	Name:     "index-not-concurrently",
	Doc:      "index created on an existing table without CONCURRENTLY: the SHARE lock blocks writes for the whole build",
	Severity: analysis.Warning,
	EM:       []string{"index_not_concurrently"},
	Run:      runIndexNotConcurrently,
}

func runIndexNotConcurrently(p *analysis.Pass) {
	for _, sf := range statements(p) {
		ci, ok := sf.Stmt.Desc.(*pgsql.CreateIndex)
		if !ok || ci.Concurrently || !existing(sf) || sf.Facts.Fails != nil {
			continue
		}
		start, end := where(sf)
		d := diag(sf, start, end, "CREATE INDEX without CONCURRENTLY on existing table "+tableName(sf.Facts.Table)+
			" takes a SHARE lock: "+blocking(sf.Facts)+" until the index is built, a time proportional to the table size. "+
			"Build it with `concurrently: true` in a migration of its own with @disable_ddl_transaction true and @disable_migration_lock true.")
		if fix, ok := concurrentlyFix(p, sf); ok {
			d.Fixes = append(d.Fixes, fix)
		}
		if fix, ok := indexOwnMigrationFix(p, sf); ok {
			d.Fixes = append(d.Fixes, fix)
		}
		p.Report(d)
	}
}

// concurrentlyFix adds `concurrently: true` to the index() of a DSL create
// index, and the two module attributes CONCURRENTLY needs.
func concurrentlyFix(p *analysis.Pass, sf *analysis.StmtFacts) (analysis.Fix, bool) {
	op := sf.Op
	if fromSQL(sf) || op.Index == nil || op.Repeated && op.Dynamic {
		return analysis.Fix{}, false
	}
	call := nodeAt(p.Migration.File, op.Index.Start, op.Index.End, "index", "unique_index")
	e, ok := addOptionEdit(p.Migration.File, call, 2, "concurrently", "true")
	if !ok {
		return analysis.Fix{}, false
	}
	edits := append([]analysis.TextEdit{e}, attributeEdits(p.Migration, "disable_ddl_transaction", "disable_migration_lock")...)
	return analysis.Fix{Title: "Create the index concurrently", Kind: analysis.QuickFix, Edits: edits}, true
}
