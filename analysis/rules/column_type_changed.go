package rules

import (
	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// ColumnTypeChanged: ALTER COLUMN ... TYPE on an existing table rewrites it
// (or rebuilds the column's indexes) under ACCESS EXCLUSIVE, unless the
// change is binary coercible.
var ColumnTypeChanged = &analysis.Analyzer{
	Name:     "column-type-changed",
	Doc:      "column type change that rewrites the table or rebuilds its indexes under ACCESS EXCLUSIVE (int -> bigint, varchar shrink, text -> varchar(n), timestamp -> timestamptz outside UTC...); binary-coercible changes are exempt when the old type is known",
	Severity: analysis.Warning,
	EM:       []string{"column_type_changed"},
	Run:      runColumnTypeChanged,
}

// typeChangeAdvice is the expand-contract recipe for a type change.
const typeChangeAdvice = "Instead: add a new column of the new type, keep it in sync with a trigger (or from the application), backfill it in batches, " +
	"switch the code to it (an Ecto field with `source:` can keep its name), then drop the old column in a later migration."

func runColumnTypeChanged(p *analysis.Pass) {
	for _, c := range alterCmds(p, pgsql.AlterColumnType) {
		if !existing(c.sf) {
			continue
		}
		f, ok := c.facts(p)
		if !ok || f.Fails != nil && f.Fails.Condition == "" {
			continue
		}
		col := c.column()
		head := "ALTER COLUMN " + colRef(f.Table, col) + " TYPE " + typeWord(c.cmd.Type)
		var msg string
		switch {
		case f.Rewrites:
			why := firstNote(f, "rewrit")
			if why == "" {
				why = "the change is not binary coercible"
			}
			msg = head + " rewrites the whole table and rebuilds all its indexes while it holds an " + lockOn(f) + " (" + why + "): " +
				blockedFor(f, true) + ". " + typeChangeAdvice
		case f.MayRewrite:
			if s := c.sub(analysis.SubModify); s != nil && !s.Opts.Has("from") && (s.Opts.Has("null") || s.Opts.Has("default")) {
				// A modify that changes null/default re-sends its type: the
				// type is most likely unchanged (modify-reissues-type says so).
				continue
			}
			how := "the workspace does not say it"
			if c.sub(analysis.SubModify) != nil {
				how = "add `from:` to the modify to tell it"
			}
			msg = head + ": lockwise does not know the column's old type (" + how + "). " +
				"Unless the change is binary coercible (same type, varchar widening, varchar -> text, numeric precision increase), it rewrites the whole table and " +
				"rebuilds all its indexes while it holds an " + lockOn(f) + ": " + blockedFor(f, true) + ". " + typeChangeAdvice
		case f.Scans || f.MayScan:
			why := firstNote(f, "no rewrite")
			if why == "" {
				why = "no rewrite"
			}
			idx := "rebuilds each index on the column, reading every row,"
			if !f.Scans {
				idx = "rebuilds each index on the column (if it has any), reading every row,"
			}
			msg = head + " does not rewrite the table (" + why + "), but it " + idx + " while it holds an " + lockOn(f) + ": " +
				blockedFor(f, true) + ". Drop those indexes before the change and create them again with `concurrently: true` after it, or " +
				lowerFirst(typeChangeAdvice[len("Instead: "):])
		default:
			continue
		}
		start, end := c.where(analysis.SubModify)
		d := c.diag(f, start, end, msg)
		if f.Rewrites {
			if fix, ok := typeChangeSplit(p, c); ok {
				d.Fixes = append(d.Fixes, fix)
			}
		}
		reportShown(p, c.sf, d)
	}
}
