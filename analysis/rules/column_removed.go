package rules

import (
	"strconv"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// ColumnRemoved: dropping a column loses its data and breaks the code that
// is still running and selects it.
//
// Severity: warning. When the workspace model knows an Ecto schema in lib/
// that still has the field, the finding is certain to break the
// application; the rule then says so first in its message and points at the
// field through Related and the finding is one severity level above the configured one (an error
// by default).
var ColumnRemoved = &analysis.Analyzer{
	Name:     "column-removed",
	Doc:      "column removed from an existing table: its data is gone and running code that still selects it fails; certain to break when an Ecto schema in lib/ still has the field",
	Severity: analysis.Warning,
	EM:       []string{"column_removed"},
	Run:      runColumnRemoved,
}

func runColumnRemoved(p *analysis.Pass) {
	for _, c := range alterCmds(p, pgsql.AlterDropColumn) {
		f := c.sf.Facts
		if !existing(c.sf) || !f.LosesData {
			continue
		}
		col := c.column()
		rel := schemaRelated(p, f.Table, col, "still has a field stored in "+colRef(f.Table, col)+": remove it and deploy before this migration runs")
		msg := ""
		if len(rel) > 0 {
			msg = "Breaks the application: " + plural(len(rel), "Ecto schema") + " in lib/ still " + verb(len(rel), "has", "have") +
				" a field stored in this column (see related information), so every query through " + verb(len(rel), "it", "them") + " fails once this commits. "
		}
		msg += "DROP COLUMN " + colRef(f.Table, col) + " deletes its data for good, and code that is already running (the release being replaced, " +
			"other nodes during a rolling deploy) still selects it: Ecto schemas name every field in their queries, so those queries fail " +
			"(column does not exist) once this commits. The drop itself is quick (no rewrite) but takes an " + lockOn(f) + fkTable(c) + ". " +
			"Safe order: remove the field from the Ecto schema and every query, deploy, then drop the column in a later migration."
		start, end := c.where(analysis.SubRemove, analysis.SubRemoveIfExists)
		d := diag(c.sf, start, end, msg)
		d.Related = rel
		if len(rel) > 0 {
			reportBreaking(p, c.sf, d)
			continue
		}
		reportShown(p, c.sf, d)
	}
}

// fkTable says which other table the drop locks: the table a DSL
// `remove :c, references(...)` references, or any foreign key's table.
func fkTable(c columnCmd) string {
	if s := c.sub(analysis.SubRemove, analysis.SubRemoveIfExists); s != nil && s.Ref() != nil && !s.Ref().Dynamic {
		ref := pgsql.QName{Name: s.Ref().Table}
		if c.sf.Op.Table != nil {
			ref.Schema = c.sf.Op.Table.Prefix // references inherit the altered table's prefix
		}
		if s.Ref().Prefix != nil {
			ref.Schema = *s.Ref().Prefix
		}
		return ", and one on " + tableName(qname(ref)) + ", the table its foreign key references"
	}
	return " (and one on the table its foreign key references, if it has one)"
}

// plural renders "1 thing" / "2 things".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// verb picks the singular or plural form.
func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
