package rules

import (
	"fmt"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
	"github.com/lockwise/lockwise/grammar"
)

// MultiStatementExecute: Postgrex sends an execute string as one prepared
// statement, and PostgreSQL refuses to prepare several statements at once.
var MultiStatementExecute = &analysis.Analyzer{
	Name:     "multi-statement-execute",
	Doc:      "one execute string holding several SQL statements: Postgrex prepares it and PostgreSQL rejects it (42601)",
	Severity: analysis.Error,
	Run:      runMultiStatementExecute,
}

func runMultiStatementExecute(p *analysis.Pass) {
	seen := map[[2]int]bool{}
	check := func(ofs []*analysis.OpFacts, dir analysis.Direction) {
		for _, of := range ofs {
			op := of.Op
			for _, q := range op.Queries {
				if q.Source == nil || seen[[2]int{q.Start, q.End}] {
					continue
				}
				stmts := q.Statements()
				if len(stmts) < 2 || anyParseError(stmts) {
					continue
				}
				seen[[2]int{q.Start, q.End}] = true
				p.Report(multiStatementDiag(p, op, q, stmts, dir))
			}
		}
	}
	check(p.Up, analysis.Up)
	check(p.Down, analysis.Down)
}

func anyParseError(stmts []*analysis.Statement) bool {
	for _, s := range stmts {
		if s.Err != nil {
			return true
		}
	}
	return false
}

func multiStatementDiag(p *analysis.Pass, op *analysis.Op, q *analysis.Query, stmts []*analysis.Statement, dir analysis.Direction) analysis.Diagnostic {
	var kinds []string
	for _, s := range stmts {
		kinds = append(kinds, sqlVerb(s.Desc))
	}
	what, when := "this execute string", "the migration fails here"
	if op.Kind == analysis.OpRepo || op.Kind == analysis.OpExecuteFn {
		what = "this query string"
	}
	if dir == analysis.Down {
		when = "rolling the migration back fails here"
	}
	msg := fmt.Sprintf("%s holds %d SQL statements (%s): Postgrex sends it as one prepared statement and PostgreSQL rejects it "+
		"with ERROR 42601 \"cannot insert multiple commands into a prepared statement\", so %s. "+
		"Send one statement per execute (a function body between $$ or a DO block is one statement).",
		what, len(stmts), strings.Join(kinds, ", "), when)
	d := analysis.Diagnostic{Start: q.Start, End: q.End, Message: msg, Classification: analysis.Dangerous}
	if fix, ok := splitFix(p.Migration, op); ok {
		d.Fixes = append(d.Fixes, fix)
	}
	return d
}

// splitFix replaces `execute "A; B"` (or `repo().query!("A; B")`) by one
// call per statement. For execute(up, down) the down leg is kept: with as
// many down statements as up statements, the i-th execute gets the down
// statement that rollback must run at its turn (rollback runs the calls
// backwards), and an empty down leg stays empty.
func splitFix(m *analysis.Migration, op *analysis.Op) (analysis.Fix, bool) {
	var call *grammar.Node
	switch op.Kind {
	case analysis.OpExecute:
		call = nodeAt(m.File, op.Start, op.End, "execute")
	case analysis.OpRepo:
		call = nodeAt(m.File, op.Start, op.End, "query", "query!")
	}
	if call == nil || len(call.Args) == 0 || len(call.Args) > 2 || op.Kind == analysis.OpRepo && len(call.Args) != 1 {
		return analysis.Fix{}, false
	}
	// The call must start its line, so that the new calls can take its place line by line.
	indent := lineIndent(m, call.Start)
	if m.Lines.Start(m.Lines.Line(call.Start))+len(indent) != call.Start {
		return analysis.Fix{}, false
	}
	up, ok := splitStatements(call.Args[0])
	if !ok || len(up) < 1 {
		return analysis.Fix{}, false
	}
	var downs []string
	hasDown := len(call.Args) == 2
	if hasDown {
		d, ok := splitStatements(call.Args[1])
		if !ok {
			return analysis.Fix{}, false
		}
		switch {
		case len(d) == 0:
			downs = make([]string, len(up))
		case len(d) == len(up):
			// Rollback runs the calls backwards: the last call undoes first.
			for i := range up {
				downs = append(downs, d[len(d)-1-i])
			}
		default:
			return analysis.Fix{}, false
		}
	}
	if len(up) < 2 && len(downs) < 2 {
		return analysis.Fix{}, false
	}
	head := "execute"
	if op.Kind == analysis.OpRepo {
		head = m.File.Source(call.Target) + "." + call.Text
	}
	var calls []string
	for i, u := range up {
		var args []string
		args = append(args, u)
		if hasDown {
			args = append(args, downs[i])
		}
		calls = append(calls, renderCall(head, args, call.Parens || op.Kind == analysis.OpRepo, indent))
	}
	return analysis.Fix{
		Title: "Split into one call per statement",
		Kind:  analysis.QuickFix,
		Edits: []analysis.TextEdit{{Start: call.Start, End: call.End, NewText: strings.Join(calls, "\n"+indent)}},
	}, true
}

// splitStatements returns the statements of a static string literal, each
// with the comments that precede it; nil when the string is empty. Not ok
// when the argument is not a static string, does not parse, or holds
// transaction control (whose meaning changes when split).
func splitStatements(arg *grammar.Node) ([]string, bool) {
	if arg.Kind != grammar.String || arg.Str == nil {
		return nil, false
	}
	sql, static := arg.Str.Value()
	if !static {
		return nil, false
	}
	stmts := pgsql.Parse(sql)
	var out []string
	prev := 0
	for _, s := range stmts {
		if s.Err != nil || s.Desc == nil || s.Desc.Kind() == pgsql.KindTransaction {
			return nil, false
		}
		seg := strings.TrimSpace(sql[prev:s.End])
		seg = strings.TrimSpace(strings.TrimPrefix(seg, ";"))
		out = append(out, seg)
		prev = s.End
	}
	if len(out) > 0 {
		rest := strings.TrimPrefix(strings.TrimLeft(sql[prev:], " \t"), ";")
		if strings.TrimSpace(rest) != "" {
			out[len(out)-1] += strings.TrimRight(rest, " \t\n")
		}
	}
	return out, true
}

// renderCall writes head(args...) the way mix format lays it out: on one
// line when every argument fits on one, with heredocs otherwise.
func renderCall(head string, sqls []string, parens bool, indent string) string {
	multi := false
	for _, s := range sqls {
		if strings.Contains(s, "\n") {
			multi = true
		}
	}
	if !multi {
		var lits []string
		for _, s := range sqls {
			lits = append(lits, elixirString(s))
		}
		if parens {
			return head + "(" + strings.Join(lits, ", ") + ")"
		}
		return head + " " + strings.Join(lits, ", ")
	}
	if len(sqls) == 1 {
		h := heredoc(sqls[0], indent)
		if parens {
			return head + "(" + h + ")"
		}
		return head + " " + h
	}
	inner := indent + "  "
	var lits []string
	for _, s := range sqls {
		if strings.Contains(s, "\n") {
			lits = append(lits, inner+heredoc(s, inner))
		} else {
			lits = append(lits, inner+elixirString(s))
		}
	}
	return head + "(\n" + strings.Join(lits, ",\n") + "\n" + indent + ")"
}

// heredoc writes s as an Elixir heredoc whose closing delimiter is indented
// by indent (Elixir strips that much from every line).
func heredoc(s, indent string) string {
	r := strings.NewReplacer(`\`, `\\`, "#{", `\#{`, `"""`, `\"""`)
	var b strings.Builder
	b.WriteString("\"\"\"\n")
	for _, line := range strings.Split(r.Replace(s), "\n") {
		if strings.TrimSpace(line) != "" {
			b.WriteString(indent + line)
		}
		b.WriteString("\n")
	}
	b.WriteString(indent + "\"\"\"")
	return b.String()
}
