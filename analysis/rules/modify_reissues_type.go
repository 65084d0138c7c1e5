package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// ModifyReissuesType: Ecto's `modify` always sends ALTER COLUMN ... TYPE,
// even when only null: or default: change.
var ModifyReissuesType = &analysis.Analyzer{
	Name:     "modify-reissues-type",
	Doc:      "`modify` used to change only null/default still sends ALTER COLUMN TYPE: ACCESS EXCLUSIVE and the column's indexes recreated, for nothing",
	Severity: analysis.Info,
	Run:      runModifyReissuesType,
}

func runModifyReissuesType(p *analysis.Pass) {
	for _, c := range alterCmds(p, pgsql.AlterColumnType) {
		if !existing(c.sf) {
			continue
		}
		f, ok := c.facts(p)
		if !ok || f.Fails != nil && f.Fails.Condition == "" {
			continue
		}
		col := c.column()
		s := c.sub(analysis.SubModify)
		same := sameType(c, f)
		var msg string
		switch {
		case same && s != nil:
			msg = "`modify :" + col + "` sends ALTER COLUMN " + tableName(col) + " TYPE " + typeWord(c.cmd.Type) + ", the type the column already has: " +
				"it changes nothing, but takes an " + lockOn(f) + " (" + blocking(f) + " " + heldUntil(p) + ") and recreates the column's indexes."
		case same:
			msg = "ALTER COLUMN " + colRef(f.Table, col) + " TYPE " + typeWord(c.cmd.Type) + " sets the type the column already has: " +
				"it changes nothing, but takes an " + lockOn(f) + " (" + blocking(f) + " " + heldUntil(p) + ") and recreates the column's indexes. Leave the TYPE clause out."
		case s != nil && f.MayRewrite && !s.Opts.Has("from") && (s.Opts.Has("null") || s.Opts.Has("default")):
			msg = "`modify :" + col + "` always sends ALTER COLUMN " + tableName(col) + " TYPE " + typeWord(c.cmd.Type) + ", even to change only null:/default:. " +
				"It takes an " + lockOn(f) + " (" + blocking(f) + " " + heldUntil(p) + ") and recreates the column's indexes; if " + typeWord(c.cmd.Type) +
				" is not the column's current type, it may also rewrite the whole table (lockwise does not know the old type: add `from:`)."
		default:
			continue
		}
		if s != nil {
			if alt := otherClauses(c); alt != "" {
				msg += " To change only " + changedWhat(c) + ", use `execute \"ALTER TABLE " + sqlName(c.at.Table) + " " + alt + "\"`."
			}
		}
		start, end := c.where(analysis.SubModify)
		d := c.diag(f, start, end, msg)
		if same && s != nil {
			if fix, ok := executeInsteadFix(p, c, s); ok {
				d.Fixes = append(d.Fixes, fix)
			}
		}
		reportShown(p, c.sf, d)
	}
}

// heldUntil says how long a lock is held: until COMMIT in a transaction.
func heldUntil(p *analysis.Pass) string {
	if p.Migration.Transaction {
		return "until the migration's transaction commits"
	}
	return "while it waits for the lock and runs"
}

// sameType reports whether the sub-command sets the type the column
// already has: the modify's from: says so, or the lock model knows the old
// type (from:, an earlier statement, the workspace) and finds it equal.
func sameType(c columnCmd, f locks.Facts) bool {
	if s := c.sub(analysis.SubModify); s != nil && sameTypeFrom(s) {
		return true
	}
	// The lock model compares the old type (from:, earlier statements, the
	// workspace) with the new one and says "same type (...)".
	return strings.HasPrefix(firstNote(f, "same type ("), "same type (")
}

// otherClauses renders the null/default sub-commands of the same column
// in the statement, without its TYPE: what the modify is meant to do.
func otherClauses(c columnCmd) string {
	return columnClauses(c.at, c.column())
}

// columnClauses renders the SET/DROP NOT NULL and SET/DROP DEFAULT
// sub-commands of an ALTER TABLE on column, "" when there are none or one
// cannot be rendered.
func columnClauses(at *pgsql.AlterTable, column string) string {
	var parts []string
	for _, k := range at.Cmds {
		if k.Column != column {
			continue
		}
		clause := "ALTER COLUMN " + sqlIdent(column) + " "
		switch k.Kind {
		case pgsql.AlterSetNotNull:
			clause += "SET NOT NULL"
		case pgsql.AlterDropNotNull:
			clause += "DROP NOT NULL"
		case pgsql.AlterSetDefault:
			if k.Default == nil || k.Default.Text == "" {
				return ""
			}
			clause += "SET DEFAULT " + k.Default.Text
		case pgsql.AlterDropDefault:
			clause += "DROP DEFAULT"
		default:
			continue
		}
		parts = append(parts, clause)
	}
	return strings.Join(parts, ", ")
}

// changedWhat names what a modify changes besides the type.
func changedWhat(c columnCmd) string {
	var null, def bool
	for _, k := range c.at.Cmds {
		if k.Column != c.column() {
			continue
		}
		switch k.Kind {
		case pgsql.AlterSetNotNull, pgsql.AlterDropNotNull:
			null = true
		case pgsql.AlterSetDefault, pgsql.AlterDropDefault:
			def = true
		}
	}
	switch {
	case null && def:
		return "null and the default"
	case def:
		return "the default"
	}
	return "null"
}

// executeInsteadFix replaces an alter block holding only this modify with
// an execute of its null/default clauses. In change/0 the down SQL is what
// Ecto's own rollback of the modify sends, without its TYPE clause.
func executeInsteadFix(p *analysis.Pass, c columnCmd, s *analysis.Sub) (analysis.Fix, bool) {
	op := c.sf.Op
	if len(op.Subs) != 1 || !onlyOpts(s, "null", "default", "from") || op.Reversed || op.Repeated || op.Dynamic || len(op.Via) > 0 || c.at.Table.Dynamic {
		return analysis.Fix{}, false
	}
	up := otherClauses(c)
	if up == "" || len(op.Queries) != 1 {
		return analysis.Fix{}, false
	}
	table := sqlName(c.at.Table)
	call := "execute " + elixirString("ALTER TABLE "+table+" "+up)
	if p.Migration.Up.Source == "change" {
		down, ok := reversedClauses(p, op, c.column())
		switch {
		case ok && down != "" && down != up:
			call += ", " + elixirString("ALTER TABLE "+table+" "+down)
		case ok || s.Opts.Has("from"):
			// The reversal cannot be rendered, restores nothing (a bare
			// from: keeps the forward null:/default:), or the rollback stops
			// at an earlier command: no down SQL to write.
			return analysis.Fix{}, false
		}
		// No from: Ecto cannot reverse the modify; execute/1 cannot be
		// reversed either.
	}
	return analysis.Fix{
		Title: "Send only the null/default change with execute",
		Kind:  analysis.QuickFix,
		Edits: []analysis.TextEdit{{Start: op.Start, End: op.End, NewText: call}},
	}, true
}

// reversedClauses finds what Ecto sends for the column when it rolls back
// op (the reversed alter of the down plan), without the TYPE clause. ok is
// false when the op has no reversal (then the rollback raises, with or
// without the fix).
func reversedClauses(p *analysis.Pass, op *analysis.Op, column string) (string, bool) {
	for _, of := range p.Down {
		if !of.Op.Reversed || of.Op.Kind != analysis.OpAlterTable || of.Op.Start != op.Start || of.Op.End != op.End {
			continue
		}
		for _, sf := range of.Stmts {
			if at, ok := sf.Stmt.Desc.(*pgsql.AlterTable); ok {
				return columnClauses(at, column), true
			}
		}
	}
	return "", false
}
