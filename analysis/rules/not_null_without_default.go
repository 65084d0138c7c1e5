package rules

import (
	"slices"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// NotNullWithoutDefault: ADD COLUMN ... NOT NULL without a default fails
// on any table that has a row (ERROR 23502).
var NotNullWithoutDefault = &analysis.Analyzer{
	Name:     "not-null-without-default",
	Doc:      "NOT NULL column without a default added to an existing table: fails with ERROR 23502 as soon as the table has one row",
	Severity: analysis.Error,
	Run:      runNotNullWithoutDefault,
}

func runNotNullWithoutDefault(p *analysis.Pass) {
	for _, c := range alterCmds(p, pgsql.AlterAddColumn) {
		f := c.sf.Facts
		col := c.cmd.Def
		// The lock model records the failure of the statement; which of
		// its columns cause it is read from their definitions.
		if col == nil || !existing(c.sf) || f.Fails == nil || f.Fails.Code != "23502" || !notNullWithoutValue(c.at, col) {
			continue
		}
		start, end := c.where(analysis.SubAdd, analysis.SubAddIfNotExists)
		notNull := " NOT NULL"
		if !col.NotNull {
			notNull = " PRIMARY KEY (so NOT NULL)"
		}
		msg := "ADD COLUMN " + tableName(col.Name) + " " + typeWord(col.Type) + notNull + " without a default on existing table " + tableName(f.Table) +
			" fails with ERROR 23502 (column \"" + col.Name + "\" of relation \"" + f.Table + "\" contains null values) as soon as the table has one row: " +
			"every existing row would get NULL. "
		if p.PGVersion() >= 11 {
			msg += "Give it a constant default (`default: ...`: PostgreSQL >= 11 stores it in the catalog, no rewrite), " +
				"or add it nullable, backfill it in batches, then set NOT NULL with a validated CHECK (" + col.Name + " IS NOT NULL) (see not-null-added)."
		} else {
			msg += "Add it nullable, backfill it in batches, then set NOT NULL (on PostgreSQL < 11 a default would rewrite the whole table)."
		}
		d := diag(c.sf, start, end, msg)
		if fix, ok := notNullColumnSplit(p, c.sf, c.sub(analysis.SubAdd)); ok {
			d.Fixes = append(d.Fixes, fix)
		}
		if s := c.sub(analysis.SubAdd); s != nil && s.Timestamps && p.PGVersion() >= 11 {
			d.Message += " For timestamps(), `timestamps(default: fragment(\"now()\"))` fills existing rows with the time of the migration: now() is stable, so no rewrite."
			if fix, ok := timestampsDefaultFix(p, s); ok {
				d.Fixes = append(d.Fixes, fix)
			}
		}
		reportShown(p, c.sf, d)
	}
}

// timestampsDefaultFix adds `default: fragment("now()")` to timestamps().
func timestampsDefaultFix(p *analysis.Pass, s *analysis.Sub) (analysis.Fix, bool) {
	f := p.Migration.File
	call := nodeAt(f, s.Start, s.End, "timestamps")
	if call == nil {
		return analysis.Fix{}, false
	}
	const def = `fragment("now()")`
	var e analysis.TextEdit
	switch {
	case len(call.Args) == 0 && call.Parens && f.Src[call.End-1] == ')':
		e = analysis.TextEdit{Start: call.End - 1, End: call.End - 1, NewText: "default: " + def}
	case len(call.Args) > 0:
		var ok bool
		if e, ok = addKeywordEdit(f, call, "default", def); !ok {
			return analysis.Fix{}, false
		}
	default:
		return analysis.Fix{}, false
	}
	return analysis.Fix{Title: "Fill existing rows with now()", Kind: analysis.QuickFix, Edits: []analysis.TextEdit{e}}, true
}

// notNullWithoutValue reports whether a column the ALTER TABLE adds is
// NOT NULL (or in a primary key, its own or one the same ALTER TABLE adds,
// as Ecto's `add ..., primary_key: true` does) with nothing to fill the
// existing rows: no default (or DEFAULT NULL), not serial, identity or
// generated.
func notNullWithoutValue(at *pgsql.AlterTable, col *pgsql.Column) bool {
	notNull := col.NotNull
	for _, k := range col.Constraints {
		if k.Kind == pgsql.ConstraintPrimaryKey {
			notNull = true
		}
	}
	for _, c := range at.Cmds {
		if k := c.Constraint; c.Kind == pgsql.AlterAddConstraint && k != nil && k.Kind == pgsql.ConstraintPrimaryKey &&
			k.UsingIndex == "" && slices.Contains(k.Columns, col.Name) {
			notNull = true
		}
	}
	if !notNull || col.Type.IsSerial() || col.Identity != "" || col.Generated != nil {
		return false
	}
	return col.Default == nil || col.Default.Null
}
