package rules

import (
	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// ColumnRenamed: renaming a column breaks the code that is still running
// and uses the old name.
var ColumnRenamed = &analysis.Analyzer{
	Name:     "column-renamed",
	Doc:      "column of an existing table renamed: running code still uses the old name and fails; rename the Ecto field with `source:` instead",
	Severity: analysis.Warning,
	EM:       []string{"column_renamed"},
	Run:      runColumnRenamed,
}

func runColumnRenamed(p *analysis.Pass) {
	for _, sf := range statements(p) {
		r, ok := sf.Stmt.Desc.(*pgsql.Rename)
		f := sf.Facts
		if !ok || r.Object != pgsql.ObjectColumn || !existing(sf) || !f.BreaksApp || pgsql.IsDynamic(r.Old) || pgsql.IsDynamic(r.New) {
			continue
		}
		rel := schemaRelated(p, f.Table, r.Old, "uses the old column name: `field :"+r.New+", ..., source: :"+r.Old+"` renames the field without renaming the column")
		msg := "RENAME of column " + colRef(f.Table, r.Old) + " to " + tableName(r.New) + " is quick, but code that is already running (the release being replaced, " +
			"other nodes during a rolling deploy) still reads and writes " + tableName(r.Old) + " and fails (column does not exist) once this commits; " +
			"it takes an " + lockOn(f) + " (" + blocking(f) + " " + heldUntil(p) + "). " +
			"To rename the field, rename it in the Ecto schema only and keep the column: `field :" + r.New + ", :type, source: :" + r.Old + "`. " +
			"If the column itself must change name: add the new column, write to both, backfill, move reads to it, then drop the old one."
		msg += schemasToChange(rel)
		start, end := where(sf)
		d := diag(sf, start, end, msg)
		d.Related = rel
		reportShown(p, sf, d)
	}
}
