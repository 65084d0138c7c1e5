package rules

import (
	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// TableRenamed: renaming a table breaks the code that is still running and
// uses the old name.
var TableRenamed = &analysis.Analyzer{
	Name:     "table-renamed",
	Doc:      "existing table renamed: running code still uses the old name and fails",
	Severity: analysis.Warning,
	EM:       []string{"table_renamed"},
	Run:      runTableRenamed,
}

func runTableRenamed(p *analysis.Pass) {
	for _, sf := range statements(p) {
		r, ok := sf.Stmt.Desc.(*pgsql.Rename)
		f := sf.Facts
		if !ok || r.Object != pgsql.ObjectTable && r.Object != pgsql.ObjectForeignTable || !existing(sf) || !f.BreaksApp || pgsql.IsDynamic(r.New) {
			continue
		}
		rel := schemaRelated(p, f.Table, "", "still uses the old table name")
		msg := "RENAME of table " + tableName(f.Table) + " to " + tableName(r.New) + " is quick, but code that is already running (the release being replaced, " +
			"other nodes during a rolling deploy: `schema \"" + r.Target.Name + "\"`, raw queries) still uses " + tableName(f.Table) +
			" and fails (relation does not exist) once this commits; it takes an " + lockOn(f) + " (" + blocking(f) + " " + heldUntil(p) + "). " +
			"Keep the table name and rename only the Ecto schema module, or rename the table and, in the same migration, " +
			"create a view with the old name (`CREATE VIEW " + sqlName(r.Target) + " AS SELECT * FROM " + sqlName(pgsql.QName{Schema: r.Target.Schema, Name: r.New}) +
			"`: a simple view is updatable) and drop the view once every node runs code that uses the new name."
		msg += schemasToChange(rel)
		start, end := where(sf)
		d := diag(sf, start, end, msg)
		d.Related = rel
		reportShown(p, sf, d)
	}
}
