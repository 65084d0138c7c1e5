package rules

import (
	"strconv"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// NotNullAdded: SET NOT NULL on an existing column scans the whole table
// under ACCESS EXCLUSIVE, unless a validated CHECK (col IS NOT NULL)
// already proves there is no NULL (PostgreSQL >= 12).
var NotNullAdded = &analysis.Analyzer{
	Name:     "not-null-added",
	Doc:      "SET NOT NULL / `modify ..., null: false` on an existing column without a validated CHECK (col IS NOT NULL): ACCESS EXCLUSIVE while every row is scanned",
	Severity: analysis.Warning,
	EM:       []string{"not_null_added"},
	Run:      runNotNullAdded,
}

func runNotNullAdded(p *analysis.Pass) {
	for _, c := range alterCmds(p, pgsql.AlterSetNotNull) {
		if !existing(c.sf) {
			continue
		}
		f, ok := c.facts(p)
		if !ok || !f.Scans || f.Fails != nil && f.Fails.Condition == "" {
			continue
		}
		col := c.column()
		start, end := c.where(analysis.SubModify)
		msg := "SET NOT NULL on " + colRef(f.Table, col) + " takes an " + lockOn(f) + " and reads every row to check for NULLs: " +
			blockedFor(f, true) + ". "
		if p.PGVersion() >= 12 {
			msg += "Instead (PostgreSQL >= 12): add `CHECK (" + col + " IS NOT NULL) NOT VALID` (instant), VALIDATE it in a later migration " +
				"(SHARE UPDATE EXCLUSIVE: reads and writes go on during the scan), then SET NOT NULL, which the validated check makes instant, and drop the check."
		} else {
			msg += "PostgreSQL " + strconv.Itoa(p.PGVersion()) + " always scans, even with a validated CHECK (" + col + " IS NOT NULL): " +
				"keep such a CHECK constraint (added NOT VALID, then validated) instead of NOT NULL until you run PostgreSQL >= 12, or run this at a quiet time with a lock_timeout."
		}
		if f.Fails != nil && f.Fails.Code == "23502" {
			// The lock model knows every existing row is NULL: the
			// column was added earlier in this migration without a value.
			msg = "SET NOT NULL on " + colRef(f.Table, col) + " fails with ERROR 23502 (" + f.Fails.Message + ") " + f.Fails.Condition +
				": the column was added earlier in this migration without a default, so every existing row holds NULL. " +
				"Give the column a default when adding it, or backfill it in a later migration (in batches) before setting NOT NULL."
			p.ReportEscalated(shown(c.sf, c.diag(f, start, end, msg)))
			continue
		}
		d := c.diag(f, start, end, msg)
		if fix, ok := notNullSplitFix(p, c); ok {
			d.Fixes = append(d.Fixes, fix)
		}
		reportShown(p, c.sf, d)
	}
}

// notNullSplitFix replaces the NOT NULL change by the PostgreSQL >= 12
// recipe in three migrations: this one adds the CHECK constraint NOT
// VALID, the next validates it, the one after sets NOT NULL and drops the
// check. It is offered only where the replacement loses nothing: a change/0
// whose command does nothing else (a DSL `modify` that keeps the type, as
// its from: shows, and only sets null: false; or an execute whose SQL is
// only this SET NOT NULL).
func notNullSplitFix(p *analysis.Pass, c columnCmd) (analysis.Fix, bool) {
	m, op := p.Migration, c.sf.Op
	if p.PGVersion() < 12 || m.Up.Source != "change" || op.Reversed || op.Repeated || op.Conditional || op.Dynamic || len(op.Via) > 0 {
		return analysis.Fix{}, false
	}
	table := c.at.Table
	col := c.column()
	if fromSQL(c.sf) {
		if op.Kind != analysis.OpExecute || len(op.Queries) != 1 || len(op.Queries[0].Statements()) != 1 || len(c.at.Cmds) != 1 {
			return analysis.Fix{}, false
		}
	} else {
		s := c.sub(analysis.SubModify)
		if s == nil || len(op.Subs) != 1 || op.Table == nil || op.Table.Dynamic || !onlyOpts(s, "null", "from") || !sameTypeFrom(s) {
			return analysis.Fix{}, false
		}
		table = pgsql.QName{Schema: op.Table.Prefix, Name: op.Table.Name}
	}
	name := constraintName(table.Name, col, "not_null")
	check := elixirString(sqlIdent(col) + " IS NOT NULL")
	create := "create constraint(" + elixirAtom(table.Name) + ", " + elixirAtom(name) + ", check: " + check + ", validate: false" + prefixOpt(table) + ")"
	alter := "ALTER TABLE " + sqlName(table) + " ALTER COLUMN " + sqlIdent(col)
	setNotNull := newMigration(p, 1, "set_"+nameWords(table.Name)+"_"+nameWords(col)+"_not_null",
		"\n  def up do\n"+
			"    # lockwise:disable-next-line not-null-added -- the validated CHECK "+name+" proves there is no NULL: PostgreSQL >= 12 skips the scan\n"+
			"    execute "+elixirString(alter+" SET NOT NULL")+"\n"+
			"    drop constraint("+elixirAtom(table.Name)+", "+elixirAtom(name)+prefixOpt(table)+")\n"+
			"  end\n\n"+
			"  def down do\n"+
			"    "+create+"\n"+
			"    execute "+elixirString(alter+" DROP NOT NULL")+"\n"+
			"  end\n")
	return analysis.Fix{
		Title:    "Split into CHECK NOT VALID, VALIDATE, SET NOT NULL",
		Kind:     analysis.RefactorSplit,
		Edits:    []analysis.TextEdit{{Start: op.Start, End: op.End, NewText: create}},
		NewFiles: []analysis.NewFile{validateMigration(p, 0, table, name), setNotNull},
	}, true
}
