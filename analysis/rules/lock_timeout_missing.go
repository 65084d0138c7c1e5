package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/analysis/pgsql"
	"github.com/lockwise/lockwise/grammar"
)

// LockTimeoutMissing: a statement that needs ACCESS EXCLUSIVE on a table
// in use waits behind every open transaction that touched the table, and
// while it waits every query on the table queues behind it. A lock_timeout
// turns that outage into a failed (retryable) migration.
var LockTimeoutMissing = &analysis.Analyzer{
	Name:     "lock-timeout-missing",
	Doc:      "a statement queues for ACCESS EXCLUSIVE on an existing table with no lock_timeout set: while it waits, all traffic on the table waits behind it",
	Severity: analysis.Info,
	Run:      runLockTimeoutMissing,
}

// lockTimeoutSQL is the statement the fix runs at the start of the
// migration transaction.
const lockTimeoutSQL = "SET LOCAL lock_timeout TO '5s'"

func runLockTimeoutMissing(p *analysis.Pass) {
	m := p.Migration
	if m.UsesModule != "" && m.UsesModule != "Ecto.Migration" {
		// A project wrapper (`use MyApp.Migration`) is where Ecto's
		// documentation sets lock_timeout; lockwise does not read it.
		return
	}
	for _, sf := range statements(p) {
		rel, ok := queuesForAccessExclusive(sf)
		if !ok {
			continue
		}
		start, end := where(sf)
		what := stmtVerb(sf)
		msg := what + " waits for an ACCESS EXCLUSIVE lock on existing table " + tableName(rel) + " with no lock_timeout set: " +
			"if any transaction holds a lock on " + tableName(rel) + " (a long query, a session idle in transaction, a running report), " +
			"the statement waits for it, and every read and write of " + tableName(rel) + " queues behind the waiting statement: " +
			"the table is unavailable until the blocker ends. "
		d := diag(sf, start, end, "")
		if m.Transaction {
			msg += "Set a lock_timeout at the start of the migration transaction so that the migration fails fast and can be retried: " +
				"`def after_begin, do: repo().query!(\"" + lockTimeoutSQL + "\")` (or in a `use MyApp.Migration` wrapper for every migration)."
			if fix, ok := lockTimeoutFix(m); ok {
				d.Fixes = append(d.Fixes, fix)
			}
		} else {
			msg += "This migration runs without a transaction and Ecto may send each statement on a different connection, " +
				"so set lock_timeout for the role or connection that migrates (`ALTER ROLE migrator SET lock_timeout = '5s'`, " +
				"or `parameters: [lock_timeout: \"5s\"]` in the repo configuration used to migrate)."
		}
		d.Message = msg + " Reported once per migration, at the first such statement."
		d.Lock = locks.AccessExclusive.String()
		d.Table = rel
		p.Report(d)
		return
	}
}

// queuesForAccessExclusive returns the existing relation a statement locks
// in ACCESS EXCLUSIVE mode without lock_timeout and without already
// holding that lock from an earlier statement of the transaction.
func queuesForAccessExclusive(sf *analysis.StmtFacts) (string, bool) {
	f := sf.Facts
	if f.LockTimeout || f.Fails != nil && f.Fails.Condition == "" {
		return "", false
	}
	for _, l := range f.Locks {
		if l.Mode != locks.AccessExclusive || l.New {
			continue
		}
		switch l.Kind {
		case locks.KindTable, locks.KindView, locks.KindMaterializedView:
		default:
			continue
		}
		if l.Relation == f.Table && (f.TableNew || f.Held >= locks.AccessExclusive) {
			continue
		}
		return l.Relation, true
	}
	return "", false
}

// lockTimeoutFix sets lock_timeout in after_begin: a new callback, or the
// first line of the existing one.
func lockTimeoutFix(m *analysis.Migration) (analysis.Fix, bool) {
	call := "repo().query!(" + elixirString(lockTimeoutSQL) + ")"
	fix := analysis.Fix{Title: "Set lock_timeout in after_begin", Kind: analysis.QuickFix}
	if cb := m.Callbacks["after_begin"]; cb != nil {
		if cb.Body == nil || cb.Body.Kind != grammar.Block || len(cb.Body.Args) == 0 {
			return analysis.Fix{}, false
		}
		first := cb.Body.Args[0]
		indent := lineIndent(m, first.Start)
		if m.Lines.Start(m.Lines.Line(first.Start))+len(indent) != first.Start {
			return analysis.Fix{}, false
		}
		fix.Edits = []analysis.TextEdit{{Start: first.Start, End: first.Start, NewText: call + "\n" + indent}}
		return fix, true
	}
	at, indent := useLineEnd(m)
	for _, a := range m.Attrs {
		if a.End > at && a.End <= firstCallbackStart(m) {
			at = m.Lines.End(m.Lines.Line(a.End))
		}
	}
	text := "\n\n" + indent + "def after_begin do\n" + indent + "  " + call + "\n" + indent + "end"
	fix.Edits = []analysis.TextEdit{{Start: at, End: at, NewText: text}}
	return fix, true
}

// firstCallbackStart is where the first migration callback of the module
// is defined (the end of the module when there is none).
func firstCallbackStart(m *analysis.Migration) int {
	first := m.ModuleRange.End
	for _, cb := range m.Callbacks {
		if cb.Start < first {
			first = cb.Start
		}
	}
	return first
}

// lineIndent is the leading white space of the line holding off.
func lineIndent(m *analysis.Migration, off int) string {
	text := string(m.Lines.Text(m.Lines.Line(off)))
	return text[:len(text)-len(strings.TrimLeft(text, " \t"))]
}

// stmtVerb names a statement the way SQL starts it ("ALTER TABLE", "DROP
// INDEX"), for messages.
func stmtVerb(sf *analysis.StmtFacts) string { return sqlVerb(sf.Stmt.Desc) }

// sqlVerb names a described statement the way SQL starts it.
func sqlVerb(desc pgsql.Description) string {
	switch d := desc.(type) {
	case *pgsql.Drop:
		return "DROP " + strings.ToUpper(string(d.Object))
	case *pgsql.Rename:
		switch d.Object {
		case pgsql.ObjectColumn, pgsql.ObjectConstraint, pgsql.ObjectTrigger:
			return "ALTER TABLE ... RENAME"
		}
		return "ALTER " + strings.ToUpper(string(d.Object)) + " ... RENAME"
	case *pgsql.Comment:
		return "COMMENT ON"
	case *pgsql.Transaction:
		return d.Verb
	case *pgsql.CreateView:
		if d.Materialized {
			return "CREATE MATERIALIZED VIEW"
		}
	case nil:
		return "this statement"
	}
	return strings.ToUpper(string(desc.Kind()))
}
