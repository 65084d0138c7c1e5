// Package present turns analysis results into what front ends show: hover
// texts (Markdown and plain), the outline of a migration, per-operation
// lock hints. The language server and `lockwise explain` render the same
// words, so no front end holds knowledge of its own.
package present

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/analysis/locks"
)

// Hover is a text shown over the bytes [Start, End).
type Hover struct {
	Start, End     int
	Markdown, Text string
}

// Hovers lists the hovers of a file: one per operation of the up plan, one
// per migration attribute, and (with a workspace view) one per table and
// column name the operations write.
func Hovers(res *check.Result, ws Workspace) []Hover {
	return hovers(res, ws, func(int, int) bool { return true })
}

// HoversAt lists the hovers whose range holds offset (ends included), and
// renders only those: what a hover request right after a keystroke needs.
func HoversAt(res *check.Result, ws Workspace, offset int) []Hover {
	return hovers(res, ws, func(start, end int) bool { return start <= offset && offset <= end })
}

// hovers renders the hovers of the ranges keep accepts.
func hovers(res *check.Result, ws Workspace, keep func(start, end int) bool) []Hover {
	m := res.Migration
	if m == nil || m.Module == "" {
		return nil
	}
	var out []Hover
	for _, of := range res.Up {
		if keep(of.Op.Start, of.Op.End) {
			md, txt := opHover(res, of)
			out = append(out, Hover{Start: of.Op.Start, End: of.Op.End, Markdown: md, Text: txt})
		}
		// A sub-command of an alter/create gets a hover of its own (the
		// column's part of the one ALTER TABLE statement).
		for _, s := range of.Op.Subs {
			if s.PrimaryKey || s.Start == of.Op.Start || !keep(s.Start, s.End) {
				continue
			}
			md, txt := subHover(res, of, s)
			out = append(out, Hover{Start: s.Start, End: s.End, Markdown: md, Text: txt})
		}
	}
	for _, a := range m.Attrs {
		if !keep(a.Start, a.End) {
			continue
		}
		if md, txt, ok := attrHover(m, a); ok {
			out = append(out, Hover{Start: a.Start, End: a.End, Markdown: md, Text: txt})
		}
	}
	if ws != nil {
		out = append(out, nameHovers(res, ws, keep)...)
	}
	return out
}

// doc is a small document that renders as Markdown or as plain text.
type doc struct{ md, txt strings.Builder }

func (d *doc) line(md, txt string) {
	d.md.WriteString(md + "\n")
	d.txt.WriteString(txt + "\n")
}

func (d *doc) para() {
	d.md.WriteString("\n")
	d.txt.WriteString("\n")
}

func (d *doc) code(lang, body string) {
	d.md.WriteString("```" + lang + "\n" + body + "\n```\n")
	for _, l := range strings.Split(body, "\n") {
		d.txt.WriteString("    " + l + "\n")
	}
}

func (d *doc) strings() (string, string) {
	return strings.TrimSpace(d.md.String()), strings.TrimSpace(d.txt.String())
}

var spaces = regexp.MustCompile(`\s+`)

func oneLine(s string) string {
	return strings.TrimSuffix(strings.TrimSpace(spaces.ReplaceAllString(s, " ")), ";")
}

// Title is the one-line name of an op ("CREATE INDEX users_email_index on users").
func Title(op *analysis.Op) string {
	t := ""
	if op.Table != nil && op.Table.Name != "" {
		t = op.Table.QualifiedName()
	}
	switch op.Kind {
	case analysis.OpCreateTable, analysis.OpCreateTableIfNotExists:
		return "create table " + t
	case analysis.OpAlterTable:
		return "alter table " + t
	case analysis.OpDropTable, analysis.OpDropTableIfExists:
		return "drop table " + t
	case analysis.OpCreateIndex, analysis.OpCreateIndexIfNotExists:
		return "create index " + op.Index.Name + " on " + t
	case analysis.OpDropIndex, analysis.OpDropIndexIfExists:
		return "drop index " + op.Index.Name
	case analysis.OpCreateConstraint:
		return "create constraint " + op.Constraint.Name + " on " + t
	case analysis.OpDropConstraint, analysis.OpDropConstraintIfExists:
		return "drop constraint " + op.Constraint.Name + " on " + t
	case analysis.OpRenameTable:
		return "rename table " + t + " to " + op.NewTable.Name
	case analysis.OpRenameColumn:
		return "rename column " + t + "." + op.OldColumn + " to " + op.NewColumn
	case analysis.OpRenameIndex:
		return "rename index " + op.Index.Name + " to " + op.NewName
	case analysis.OpExecute:
		return "execute"
	case analysis.OpExecuteFn:
		return "execute(fn)"
	case analysis.OpRepo:
		return "repo()." + op.Exec.RepoCall
	}
	return op.Kind.String()
}

// opHover is the hover of one operation: its verdict, the lock per
// relation and what it blocks, scan/rewrite, failures, the exact SQL Ecto
// sends, version notes and the advice of the rules that fired on it.
func opHover(res *check.Result, of *analysis.OpFacts) (string, string) {
	var d doc
	op := of.Op
	class := of.Classification.String()
	d.line(fmt.Sprintf("**%s** — %s", Title(op), strings.ToUpper(class)), fmt.Sprintf("%s: %s", Title(op), strings.ToUpper(class)))
	if res.Migration.Transaction {
		d.line("_Runs inside the migration transaction: locks are held until COMMIT._", "Runs inside the migration transaction: locks are held until COMMIT.")
	} else {
		d.line("_Runs outside a transaction (@disable_ddl_transaction): each statement commits on its own._", "Runs outside a transaction (@disable_ddl_transaction): each statement commits on its own.")
	}
	for _, sf := range of.Stmts {
		d.para()
		stmtSection(&d, sf, len(of.Stmts) > 1)
	}
	if len(of.Stmts) == 0 {
		d.para()
		switch {
		case op.Exec != nil && op.Exec.DataChange:
			d.line("Writes rows through the repo; Ecto builds its SQL at run time, so its locks are not known statically.", "Writes rows through the repo; Ecto builds its SQL at run time, so its locks are not known statically.")
		case op.Dynamic:
			d.line("The SQL is not known statically: "+strings.Join(op.Reasons, "; ")+".", "The SQL is not known statically: "+strings.Join(op.Reasons, "; ")+".")
		default:
			d.line("Sends no SQL.", "Sends no SQL.")
		}
	}
	if op.Repeated || op.Conditional {
		d.para()
		d.line("_"+strings.Join(op.Reasons, "; ")+"_", strings.Join(op.Reasons, "; "))
	}
	advice(&d, res, op.Start, op.End)
	return d.strings()
}

// stmtSection renders the facts of one statement.
func stmtSection(d *doc, sf *analysis.StmtFacts, withSQLFirst bool) {
	f := sf.Facts
	sql := oneLine(sf.Query.Display())
	if sf.Query.Source != nil {
		sql = oneLine(sf.Stmt.Text)
	}
	d.code("sql", sql)
	if f.Explanation != "" {
		d.line(capitalize(f.Explanation)+".", capitalize(f.Explanation)+".")
	}
	if rows := lockRows(f); len(rows) > 0 {
		d.md.WriteString("\n| relation | lock | blocks |\n|---|---|---|\n")
		d.txt.WriteString("\nLocks:\n")
		for _, r := range rows {
			d.md.WriteString("| `" + r[0] + "` | " + r[1] + " | " + r[2] + " |\n")
			d.txt.WriteString("  " + r[0] + ": " + r[1] + " (blocks " + r[2] + ")\n")
		}
	}
	var facts []string
	switch {
	case f.Rewrites:
		facts = append(facts, "rewrites the table and rebuilds its indexes")
	case f.MayRewrite:
		facts = append(facts, "may rewrite the table")
	}
	switch {
	case f.Scans && !f.Rewrites:
		facts = append(facts, "scans the whole table")
	case f.MayScan:
		facts = append(facts, "may scan the table")
	}
	if f.Fails != nil {
		msg := "fails: ERROR " + f.Fails.Code + " " + f.Fails.Message
		if f.Fails.Condition != "" {
			msg += " (" + f.Fails.Condition + ")"
		}
		facts = append(facts, msg)
	}
	if len(facts) > 0 {
		d.line("**"+capitalize(strings.Join(facts, "; "))+".**", capitalize(strings.Join(facts, "; "))+".")
	}
	for _, n := range f.Notes {
		d.line("- "+n, "- "+n)
	}
}

// lockRows lists relation, lock and what it blocks, strongest first.
func lockRows(f locks.Facts) [][3]string {
	var rows [][3]string
	seen := map[string]bool{}
	for _, l := range f.Locks {
		name := l.Relation
		if l.Kind == locks.KindAllIndexes {
			name = "every index of " + l.Relation
		} else if l.Kind != locks.KindTable && l.Kind != "" {
			name = string(l.Kind) + " " + l.Relation
		}
		if l.Created {
			name += " (new)"
		}
		if seen[name+l.Mode.String()] {
			continue
		}
		seen[name+l.Mode.String()] = true
		blocks := "nothing"
		switch {
		case l.New:
			blocks = "nothing (new)"
		case l.Mode.BlocksReads():
			blocks = "reads and writes"
		case l.Mode.BlocksWrites():
			blocks = "writes"
		}
		rows = append(rows, [3]string{name, l.Mode.String(), blocks})
	}
	return rows
}

// advice appends the messages of the diagnostics inside [start, end).
func advice(d *doc, res *check.Result, start, end int) {
	first := true
	for _, dg := range res.Diagnostics {
		if dg.Start < start || dg.Start >= end {
			continue
		}
		if first {
			d.para()
			first = false
		}
		d.line("**"+dg.Rule+"** ("+dg.Severity.String()+"): "+dg.Message, dg.Rule+" ("+dg.Severity.String()+"): "+dg.Message)
	}
}

func subHover(res *check.Result, of *analysis.OpFacts, s *analysis.Sub) (string, string) {
	var d doc
	t := ""
	if of.Op.Table != nil {
		t = of.Op.Table.QualifiedName()
	}
	d.line(fmt.Sprintf("**%s %s.%s** — part of %s (%s)", s.Kind, t, s.Column, Title(of.Op), of.Classification),
		fmt.Sprintf("%s %s.%s: part of %s (%s)", s.Kind, t, s.Column, Title(of.Op), of.Classification))
	d.line("Ecto sends every sub-command of the block in one ALTER TABLE statement: they share one lock and at most one rewrite.",
		"Ecto sends every sub-command of the block in one ALTER TABLE statement: they share one lock and at most one rewrite.")
	if w := of.Worst(); w != nil && w.Facts.Explanation != "" {
		d.para()
		d.line(capitalize(w.Facts.Explanation)+".", capitalize(w.Facts.Explanation)+".")
	}
	advice(&d, res, s.Start, s.End)
	return d.strings()
}

// attrHover explains @disable_ddl_transaction / @disable_migration_lock for
// this file.
func attrHover(m *analysis.Migration, a *analysis.Attr) (string, string, bool) {
	var d doc
	switch a.Name {
	case "disable_ddl_transaction":
		if m.Transaction {
			d.line("**@disable_ddl_transaction false** — this migration runs in one transaction.", "@disable_ddl_transaction false: this migration runs in one transaction.")
			d.line("Every lock a statement takes is held until COMMIT; CREATE/DROP INDEX CONCURRENTLY would fail (ERROR 25001).", "Every lock a statement takes is held until COMMIT; CREATE/DROP INDEX CONCURRENTLY would fail (ERROR 25001).")
		} else {
			d.line("**@disable_ddl_transaction true** — no transaction around this migration.", "@disable_ddl_transaction true: no transaction around this migration.")
			d.line("Each statement commits on its own, so CONCURRENTLY works and locks are released at once; but a failure leaves the migration half applied and the version not recorded: it must be safe to run again.",
				"Each statement commits on its own, so CONCURRENTLY works and locks are released at once; but a failure leaves the migration half applied and the version not recorded: it must be safe to run again.")
		}
	case "disable_migration_lock":
		if m.MigrationLock {
			d.line("**@disable_migration_lock false** — Ecto takes the migration lock.", "@disable_migration_lock false: Ecto takes the migration lock.")
			d.line("With the default migration_lock: :table_lock another connection holds `LOCK TABLE schema_migrations IN SHARE UPDATE EXCLUSIVE MODE` while this migration runs; a CONCURRENTLY statement waits for that transaction (its snapshot) and never finishes. Use @disable_migration_lock true or migration_lock: :pg_advisory_lock.",
				"With the default migration_lock: :table_lock another connection holds LOCK TABLE schema_migrations IN SHARE UPDATE EXCLUSIVE MODE while this migration runs; a CONCURRENTLY statement waits for that transaction (its snapshot) and never finishes. Use @disable_migration_lock true or migration_lock: :pg_advisory_lock.")
		} else {
			d.line("**@disable_migration_lock true** — Ecto takes no migration lock for this migration.", "@disable_migration_lock true: Ecto takes no migration lock for this migration.")
			d.line("Two nodes deploying at once could both run it; keep it idempotent (IF NOT EXISTS) or run migrations from one node.",
				"Two nodes deploying at once could both run it; keep it idempotent (IF NOT EXISTS) or run migrations from one node.")
		}
	default:
		return "", "", false
	}
	md, txt := d.strings()
	return md, txt, true
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
