package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// TableDropped: dropping a table loses all its rows and breaks the code
// that still uses it.
var TableDropped = &analysis.Analyzer{
	Name:     "table-dropped",
	Doc:      "existing table dropped: every row is gone and running code that still uses it fails",
	Severity: analysis.Warning,
	EM:       []string{"table_dropped"},
	Run:      runTableDropped,
}

func runTableDropped(p *analysis.Pass) {
	for _, sf := range statements(p) {
		d, ok := sf.Stmt.Desc.(*pgsql.Drop)
		f := sf.Facts
		if !ok || d.Object != pgsql.ObjectTable && d.Object != pgsql.ObjectForeignTable || !existing(sf) || !f.LosesData {
			continue
		}
		var names []string
		var rel []analysis.Related
		for _, n := range d.Names {
			names = append(names, tableName(qname(n)))
			rel = append(rel, schemaRelated(p, qname(n), "", "maps this table: remove it (and every use) and deploy before this migration runs")...)
		}
		msg := ""
		if len(rel) > 0 {
			msg = "Breaks the application: " + plural(len(rel), "Ecto schema") + " in lib/ still " + verb(len(rel), "maps", "map") +
				" this table (see related information). "
		}
		msg += "DROP TABLE " + strings.Join(names, ", ") + " deletes every row for good, and code that is already running (the release being replaced, " +
			"other nodes during a rolling deploy) fails as soon as it touches the table (relation does not exist). It takes an " + lockOn(f) +
			" (and on the tables its foreign keys reference)"
		if d.Cascade {
			msg += "; CASCADE also drops the foreign keys, views and other objects that depend on it"
		}
		msg += ". Safe order: remove every use of the table (schemas, queries, foreign keys to it) and deploy, take a backup, then drop it in a later migration."
		start, end := where(sf)
		dg := diag(sf, start, end, msg)
		dg.Related = rel
		reportShown(p, sf, dg)
	}
}
