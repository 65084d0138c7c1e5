package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// HypertableMigrateData: TimescaleDB's create_hypertable(...,
// migrate_data => true) on a table with rows copies them all into chunks
// under ACCESS EXCLUSIVE.
var HypertableMigrateData = &analysis.Analyzer{
	Name:     "hypertable-migrate-data",
	Doc:      "TimescaleDB create_hypertable(..., migrate_data => true) on an existing table moves every row under ACCESS EXCLUSIVE",
	Severity: analysis.Warning,
	Run:      runHypertableMigrateData,
}

func runHypertableMigrateData(p *analysis.Pass) {
	for _, sf := range statements(p) {
		sel, ok := sf.Stmt.Desc.(*pgsql.Select)
		if !ok || !migratesData(sel) || !existing(sf) || !sf.Facts.Rewrites {
			continue
		}
		t := tableName(sf.Facts.Table)
		until := "until it ends"
		if p.Migration.Transaction {
			until = "until the migration commits"
		}
		start, end := where(sf)
		p.Report(diag(sf, start, end, "create_hypertable(..., migrate_data => true) on existing table "+t+
			" copies every row into chunks while holding "+sf.Facts.Mode.String()+" on "+t+": "+blocking(sf.Facts)+" "+until+
			", a time proportional to the table size. Create an empty hypertable under a new name, copy the rows into it in batches "+
			"outside the migration transaction, then swap the names; or run this in a maintenance window."))
	}
}

// migratesData reports whether a SELECT calls create_hypertable with
// migrate_data => true.
func migratesData(sel *pgsql.Select) bool {
	for _, c := range sel.Calls {
		if !strings.EqualFold(c.Name.Name, "create_hypertable") {
			continue
		}
		for _, a := range c.Args {
			if strings.EqualFold(a.Name, "migrate_data") {
				switch strings.ToLower(a.Value) {
				case "true", "t", "on", "yes", "1":
					return true
				}
			}
		}
	}
	return false
}
