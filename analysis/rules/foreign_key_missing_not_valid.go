package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// ForeignKeyMissingNotValid: a foreign key added to an existing table
// with validation scans the table under lock.
var ForeignKeyMissingNotValid = &analysis.Analyzer{
	Name:     "foreign-key-missing-not-valid",
	Doc:      "foreign key added to an existing table without `validate: false` / NOT VALID: every row is checked while both tables are locked",
	Severity: analysis.Warning,
	EM:       []string{"column_reference_added"},
	Run:      runForeignKeyMissingNotValid,
}

func runForeignKeyMissingNotValid(p *analysis.Pass) {
	for slot, va := range validatedAdds(p) {
		k := va.cmd.Constraint
		if k.Kind != pgsql.ConstraintForeignKey {
			continue
		}
		sf, f := va.sf, va.sf.Facts
		ref := k.References.Table.String()
		tmode := max(f.Mode, f.Held)
		msg := addConstraintWords(k.Name, "FOREIGN KEY") + " checks every row of existing table " + tableName(f.Table) +
			" against " + tableName(ref) + " while holding " + tmode.String() + " on " + tableName(f.Table) + " (" + modeBlocks(tmode) + " waits)"
		if rmode := f.Lock(ref); ref != f.Table && rmode != locks.None && !lockIsNew(f, ref) {
			msg += " and " + rmode.String() + " on " + tableName(ref) + " (" + modeBlocks(rmode) + " there waits)"
		}
		msg += ", for a time proportional to the size of " + tableName(f.Table) + ". "
		if fromSQL(sf) {
			msg += "Add it NOT VALID"
		} else {
			msg += "Add it with `validate: false` (NOT VALID)"
		}
		msg += ": existing rows are not checked, so the lock is held only for a catalog change. " +
			"Then run ALTER TABLE ... VALIDATE CONSTRAINT in a later migration: it takes SHARE UPDATE EXCLUSIVE on " +
			tableName(f.Table) + " and ROW SHARE on " + tableName(ref) + ", so reads and writes go on during the scan."
		col := ""
		if len(k.Columns) > 0 {
			col = k.Columns[0]
		}
		start, end := whereColumn(sf, col, analysis.SubAdd, analysis.SubAddIfNotExists, analysis.SubModify)
		d := diag(sf, start, end, msg)
		if fix, ok := notValidFix(p, va, slot, "Add the foreign key NOT VALID and validate it in a new migration"); ok {
			d.Fixes = append(d.Fixes, fix)
		}
		p.Report(d)
	}
}

// addConstraintWords writes ADD CONSTRAINT "name" KIND, or ADD KIND when
// PostgreSQL picks the name.
func addConstraintWords(name, kind string) string {
	if name == "" {
		return "ADD " + kind
	}
	return "ADD CONSTRAINT " + tableName(name) + " " + kind
}

// constraintWords renders a constraint name for messages, with a trailing
// space ("" when PostgreSQL picks the name).
func constraintWords(name string) string {
	if name == "" {
		return ""
	}
	return tableName(name) + " "
}

// lockIsNew reports whether the statement's lock on relation is on a
// table created earlier in this migration.
func lockIsNew(f locks.Facts, relation string) bool {
	for _, l := range f.Locks {
		if l.Relation == relation && l.Kind == locks.KindTable {
			return l.New
		}
	}
	return false
}

// validatedAdd is a FOREIGN KEY or CHECK constraint added with validation
// to an existing table.
type validatedAdd struct {
	sf  *analysis.StmtFacts
	at  *pgsql.AlterTable
	cmd *pgsql.AlterCmd
	// last is true when cmd is the statement's last sub-command.
	last bool
}

// validatedAdds lists the FOREIGN KEY and CHECK constraints added to
// existing tables without NOT VALID, in the order they run. A constraint's
// index in the list picks the version of its follow-up migration, so that
// the fixes of several findings create distinct versions.
func validatedAdds(p *analysis.Pass) []validatedAdd {
	var out []validatedAdd
	for _, sf := range statements(p) {
		at, ok := sf.Stmt.Desc.(*pgsql.AlterTable)
		// A statement that reads no row (the table was emptied earlier in
		// the transaction) validates nothing.
		if !ok || at.Object != pgsql.ObjectTable || !existing(sf) || sf.Facts.Fails != nil || !sf.Facts.Scans && !sf.Facts.MayScan {
			continue
		}
		for i := range at.Cmds {
			c := &at.Cmds[i]
			if c.Kind != pgsql.AlterAddConstraint || c.Constraint == nil || c.Constraint.NotValid {
				continue
			}
			if k := c.Constraint.Kind; k == pgsql.ConstraintForeignKey || k == pgsql.ConstraintCheck {
				out = append(out, validatedAdd{sf: sf, at: at, cmd: c, last: i == len(at.Cmds)-1})
			}
		}
	}
	return out
}

// notValidFix adds the constraint NOT VALID (`validate: false` in the
// DSL, NOT VALID at the end of the SQL statement) and creates the
// migration that validates it.
func notValidFix(p *analysis.Pass, va validatedAdd, slot int, title string) (analysis.Fix, bool) {
	k := va.cmd.Constraint
	name := k.Name
	if name == "" && k.Kind == pgsql.ConstraintForeignKey && len(k.Columns) > 0 {
		// PostgreSQL's own name for it (when it fits in 63 bytes).
		if n := va.at.Table.Name + "_" + strings.Join(k.Columns, "_") + "_fkey"; len(n) <= 63 {
			name = n
		}
	}
	sf := va.sf
	if name == "" || va.at.Table.Dynamic || sf.Stmt.Dynamic || sf.Op.Repeated || sf.Op.Conditional {
		return analysis.Fix{}, false
	}
	var edit analysis.TextEdit
	switch {
	case fromSQL(sf):
		if !va.last || !sf.Query.Source.Mapped {
			return analysis.Fix{}, false
		}
		edit = analysis.TextEdit{Start: sf.Stmt.FileEnd, End: sf.Stmt.FileEnd, NewText: " NOT VALID"}
	case k.Kind == pgsql.ConstraintForeignKey:
		col := ""
		if len(k.Columns) > 0 {
			col = k.Columns[0]
		}
		s := subFor(sf.Op, col, analysis.SubAdd, analysis.SubAddIfNotExists, analysis.SubModify)
		if s == nil || s.Ref() == nil || s.Type.Node == nil || !s.Type.Node.IsCall("references") {
			return analysis.Fix{}, false
		}
		e, ok := addOptionEdit(p.Migration.File, s.Type.Node, 1, "validate", "false")
		if !ok {
			return analysis.Fix{}, false
		}
		edit = e
	default:
		if sf.Op.Kind != analysis.OpCreateConstraint {
			return analysis.Fix{}, false
		}
		call := callWithin(p.Migration.File, sf.Op.Start, sf.Op.End, "constraint")
		e, ok := addOptionEdit(p.Migration.File, call, 2, "validate", "false")
		if !ok {
			return analysis.Fix{}, false
		}
		edit = e
	}
	nf := validateMigration(p, slot, va.at.Table, name)
	return analysis.Fix{Title: title, Kind: analysis.RefactorSplit, Edits: []analysis.TextEdit{edit}, NewFiles: []analysis.NewFile{nf}}, true
}
