package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
	"github.com/lockwise/lockwise/grammar"
)

// UnbatchedBackfill: one statement that updates or deletes every row of a
// table in use, inside the migration transaction, keeps all those rows
// locked until COMMIT.
var UnbatchedBackfill = &analysis.Analyzer{
	Name:     "unbatched-backfill",
	Doc:      "one statement updating/deleting a whole table inside the migration transaction: every row stays locked until COMMIT",
	Severity: analysis.Warning,
	Run:      runUnbatchedBackfill,
}

// batchAdvice is what to do instead, in every message.
const batchAdvice = "Backfill in batches instead: a migration of its own with @disable_ddl_transaction true and " +
	"@disable_migration_lock true that updates a few thousand rows per statement by primary-key range " +
	"(each statement then commits on its own), or a task run after the deploy."

func runUnbatchedBackfill(p *analysis.Pass) {
	m := p.Migration
	if !m.Transaction {
		return
	}
	for _, of := range p.Up {
		for _, sf := range of.Stmts {
			d, ok := sf.Stmt.Desc.(*pgsql.DML)
			if !ok || d.Where || d.Verb != "UPDATE" && d.Verb != "DELETE" || sf.Facts.TableNew || sf.Facts.Fails != nil {
				continue
			}
			t := tableName(sf.Facts.Table)
			start, end := where(sf)
			p.Report(diag(sf, start, end, d.Verb+" without WHERE "+verbRows(d.Verb)+" every row of "+t+
				" in one statement inside the migration transaction: "+rowLocksMessage(t)+" "+batchAdvice))
		}
		op := of.Op
		if op.Exec == nil || !op.Exec.DataChange || op.Kind != analysis.OpRepo && op.Kind != analysis.OpExecuteFn {
			continue
		}
		for _, c := range wholeTableRepoCalls(m.File, op.Start, op.End) {
			verb := "UPDATE"
			if c.call.Text == "delete_all" {
				verb = "DELETE"
			}
			t := "the table"
			switch {
			case strings.HasPrefix(c.table, "the table of "):
				t = c.table
				c.table = ""
			case c.table != "":
				t = tableName(c.table)
			}
			p.Report(analysis.Diagnostic{Start: c.call.Start, End: c.call.End, Classification: analysis.Risky, Table: c.table,
				Message: "repo()." + c.call.Text + " with no where clause " + verbRows(verb) + " every row of " + t +
					" in one " + verb + " inside the migration transaction: " + rowLocksMessage(t) + " " + batchAdvice})
		}
	}
}

func verbRows(verb string) string {
	if verb == "DELETE" {
		return "deletes"
	}
	return "writes"
}

// rowLocksMessage says what a whole-table write in the migration
// transaction does to production.
func rowLocksMessage(t string) string {
	return "each row stays locked until the migration commits, so the application's updates and deletes of any row of " + t +
		" wait for the whole migration; every row leaves a dead copy behind (table bloat, replication lag), " +
		"and a failure at the last row undoes them all."
}

// repoWrite is an update_all/delete_all call on a whole table.
type repoWrite struct {
	call  *grammar.Node
	table string // the table or schema module, "" when not known
}

// wholeTableRepoCalls finds the update_all/delete_all calls in [start, end)
// whose queryable is a whole table: a table name, a schema module, or a
// from(...) without where or join (written as an argument or piped in).
func wholeTableRepoCalls(f *grammar.File, start, end int) []repoWrite {
	var out []repoWrite
	var visit func(n, pipedFrom *grammar.Node)
	visit = func(n, pipedFrom *grammar.Node) {
		if n == nil || n.End <= start || n.Start >= end {
			return
		}
		if n.Kind == grammar.BinaryOp && n.Text == "|>" && len(n.Args) == 2 {
			visit(n.Args[0], nil)
			visit(n.Args[1], n.Args[0])
			return
		}
		if n.Kind == grammar.Call && (n.Text == "update_all" || n.Text == "delete_all") && n.Target != nil && isRepoTarget(n.Target) {
			q := pipedFrom
			if q == nil && len(n.Args) > 0 {
				q = n.Args[0]
			}
			if table, ok := wholeTable(q); ok {
				out = append(out, repoWrite{call: n, table: table})
			}
		}
		grammar.Walk(n, func(x *grammar.Node) bool {
			if x == n {
				return true
			}
			visit(x, nil)
			return false
		})
	}
	visit(f.Root, nil)
	return out
}

// isRepoTarget reports whether a call receiver is repo() or a Repo module.
func isRepoTarget(t *grammar.Node) bool {
	if t.IsCall("repo") {
		return true
	}
	return t.Kind == grammar.Alias && strings.HasSuffix(t.Text, "Repo")
}

// wholeTable reports whether an Ecto queryable selects every row of a
// table, and names it.
func wholeTable(q *grammar.Node) (string, bool) {
	if q == nil {
		return "", false
	}
	switch q.Kind {
	case grammar.String:
		if q.Str == nil {
			return "", false
		}
		if v, ok := q.Str.Value(); ok {
			return v, true
		}
		return "", true
	case grammar.Alias:
		return "the table of " + q.Text, true
	case grammar.Tuple:
		// {"users", User}: a table with a schema.
		if len(q.Args) == 2 && q.Args[0].Kind == grammar.String {
			return wholeTable(q.Args[0])
		}
	case grammar.Call:
		if q.Text != "from" || q.Target != nil || len(q.Args) == 0 {
			return "", false
		}
		if kw := q.Args[len(q.Args)-1]; kw.Kind == grammar.Keywords {
			for _, pair := range kw.Args {
				if filters(pair.Text) {
					return "", false
				}
			}
		}
		if in := q.Args[0]; in.Kind == grammar.BinaryOp && in.Text == "in" && len(in.Args) == 2 {
			return wholeTable(in.Args[1])
		}
	case grammar.BinaryOp:
		// A piped query: "users" |> where(...) filters.
		if q.Text == "|>" && len(q.Args) == 2 {
			if c := q.Args[1]; c.Kind == grammar.Call && filters(c.Text) {
				return "", false
			}
			return wholeTable(q.Args[0])
		}
	}
	return "", false
}

// filters reports whether a query keyword or macro restricts the rows.
func filters(name string) bool {
	switch name {
	case "where", "or_where", "join", "limit", "having", "on":
		return true
	}
	return strings.HasSuffix(name, "_join")
}
