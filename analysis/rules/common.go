package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/analysis/pgsql"
	"github.com/lockwise/lockwise/grammar"
)

// statements lists the statements of the up direction with their facts.
func statements(p *analysis.Pass) []*analysis.StmtFacts {
	var out []*analysis.StmtFacts
	for _, of := range p.Up {
		out = append(out, of.Stmts...)
	}
	return out
}

// opFacts finds the facts of op in the up direction.
func opFacts(p *analysis.Pass, op *analysis.Op) *analysis.OpFacts {
	for _, of := range p.Up {
		if of.Op == op {
			return of
		}
	}
	return nil
}

// fromSQL reports whether the statement was written as SQL in the file
// (execute, repo().query!) rather than lowered from the DSL.
func fromSQL(sf *analysis.StmtFacts) bool {
	return sf.Query.Source != nil
}

// where returns the range to report a statement at: the statement inside
// the string for SQL written in the file, the Ecto call otherwise.
func where(sf *analysis.StmtFacts) (start, end int) {
	if fromSQL(sf) {
		return sf.Stmt.FileStart, sf.Stmt.FileEnd
	}
	return sf.Op.Start, sf.Op.End
}

// subFor finds the sub-command of an alter/create table op that acts on
// column, for reporting at the `add`/`modify`/`remove` call.
func subFor(op *analysis.Op, column string, kinds ...analysis.SubKind) *analysis.Sub {
	for _, s := range op.Subs {
		if s.Column != column {
			continue
		}
		if len(kinds) == 0 {
			return s
		}
		for _, k := range kinds {
			if s.Kind == k {
				return s
			}
		}
	}
	return nil
}

// whereColumn reports a statement about one column at the DSL sub-command
// that produced it when there is one.
func whereColumn(sf *analysis.StmtFacts, column string, kinds ...analysis.SubKind) (start, end int) {
	if !fromSQL(sf) {
		if s := subFor(sf.Op, column, kinds...); s != nil {
			return s.Start, s.End
		}
	}
	return where(sf)
}

// diag builds a diagnostic with the classification and lock of a statement.
func diag(sf *analysis.StmtFacts, start, end int, msg string) analysis.Diagnostic {
	d := analysis.Diagnostic{Start: start, End: end, Message: msg, Classification: locks.Classify(sf.Facts), Table: sf.Facts.Table}
	if sf.Facts.Mode != locks.None {
		d.Lock = sf.Facts.Mode.String()
	}
	return d
}

// existing reports whether the statement's table existed before this
// migration (created by no earlier statement, not known to be new).
func existing(sf *analysis.StmtFacts) bool {
	return sf.Facts.Table != "" && !sf.Facts.TableNew
}

// blocking describes what the statement's lock makes wait, in words.
func blocking(f locks.Facts) string {
	switch {
	case f.BlocksReads && f.BlocksWrites:
		return "every read and write of the table waits"
	case f.BlocksWrites:
		return "INSERT, UPDATE and DELETE on the table wait (reads go on)"
	case f.BlocksReads:
		return "reads of the table wait"
	}
	return "nothing else waits"
}

// tableName renders a table name for messages.
func tableName(t string) string { return "\"" + t + "\"" }

// qname renders a pgsql name as the Facts do.
func qname(q pgsql.QName) string {
	if q.Schema != "" {
		return q.Schema + "." + q.Name
	}
	return q.Name
}

// nodeAt finds the call named one of names whose range is exactly [start, end).
func nodeAt(f *grammar.File, start, end int, names ...string) *grammar.Node {
	var found *grammar.Node
	grammar.Walk(f.Root, func(n *grammar.Node) bool {
		if found != nil || n.End <= start || n.Start > start {
			return found == nil && n.Start <= start && n.End >= end
		}
		if n.Kind == grammar.Call && n.Start == start && n.End == end {
			for _, name := range names {
				if n.Text == name {
					found = n
					return false
				}
			}
		}
		return true
	})
	return found
}

// addKeywordEdit inserts `key: value` into a call's options: after the last
// pair of its trailing keyword list, or as a new last argument.
func addKeywordEdit(f *grammar.File, call *grammar.Node, key, value string) (analysis.TextEdit, bool) {
	if call == nil || len(call.Args) == 0 {
		return analysis.TextEdit{}, false
	}
	last := call.Args[len(call.Args)-1]
	if last.Kind == grammar.Keywords {
		if existing := last.Keyword(key); existing != nil {
			return analysis.TextEdit{Start: existing.Start, End: existing.End, NewText: value}, true
		}
		return analysis.TextEdit{Start: last.End, End: last.End, NewText: ", " + key + ": " + value}, true
	}
	return analysis.TextEdit{Start: last.End, End: last.End, NewText: ", " + key + ": " + value}, true
}

// attributeEdits adds module attributes (`@disable_ddl_transaction true`)
// that the migration module does not set to true yet, right after its
// `use Ecto.Migration` line.
func attributeEdits(m *analysis.Migration, names ...string) []analysis.TextEdit {
	var missing []string
	for _, n := range names {
		set := false
		for _, a := range m.Attrs {
			if a.Name == n {
				set = a.Value.Truthy()
			}
		}
		if !set {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	// Replace attributes written as false; insert the others after `use`.
	var edits []analysis.TextEdit
	var insert []string
	for _, n := range missing {
		replaced := false
		for _, a := range m.Attrs {
			if a.Name == n && a.Value.Kind == analysis.VBool && a.Value.Node != nil {
				edits = append(edits, analysis.TextEdit{Start: a.Value.Node.Start, End: a.Value.Node.End, NewText: "true"})
				replaced = true
			}
		}
		if !replaced {
			insert = append(insert, n)
		}
	}
	if len(insert) > 0 {
		at, indent := useLineEnd(m)
		var b strings.Builder
		for _, n := range insert {
			fmt.Fprintf(&b, "\n%s@%s true", indent, n)
		}
		edits = append(edits, analysis.TextEdit{Start: at, End: at, NewText: b.String()})
	}
	return edits
}

// useLineEnd returns the end of the `use Ecto.Migration` line and its
// indentation (or the line after defmodule when there is no use).
func useLineEnd(m *analysis.Migration) (int, string) {
	var use *grammar.Node
	grammar.Walk(m.File.Root, func(n *grammar.Node) bool {
		if use == nil && n.IsCall("use") && n.Start >= m.ModuleRange.Start && n.End <= m.ModuleRange.End {
			use = n
		}
		return use == nil
	})
	pos := m.ModuleRange.Start
	if use != nil {
		pos = use.Start
	}
	line := m.Lines.Line(pos)
	text := string(m.Lines.Text(line))
	indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
	if use == nil {
		indent += "  "
	}
	return m.Lines.End(line), indent
}

// newMigration builds a migration file that runs right after the current
// one: the next free version (one second later, skipping versions the
// directory already has), a module in the current module's namespace, and
// a file name Ecto accepts (<version>_<snake_name>.exs). after counts the
// files already created by the same fix, so several steps get increasing
// versions.
func newMigration(p *analysis.Pass, after int, name, body string) analysis.NewFile {
	m := p.Migration
	version := nextVersion(m.Version, p.Siblings, after+1)
	ns := m.Module
	if i := strings.LastIndexByte(ns, '.'); i >= 0 {
		ns = ns[:i]
	} else {
		ns = "Repo.Migrations"
	}
	module := ns + "." + camel(name)
	content := "defmodule " + module + " do\n  use Ecto.Migration\n" + body + "end\n"
	return analysis.NewFile{Name: version + "_" + name + ".exs", Content: content}
}

// nextVersion returns the n-th free version after v.
func nextVersion(v string, siblings []string, n int) string {
	taken := map[string]bool{}
	for _, s := range siblings {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		taken[s[:i]] = true
	}
	cur := v
	for found := 0; found < n; {
		cur = bumpVersion(cur)
		if !taken[cur] {
			found++
		}
	}
	return cur
}

// bumpVersion adds one second to a YYYYMMDDHHMMSS version (other versions
// are plain numbers and get one added).
func bumpVersion(v string) string {
	if len(v) == 14 {
		if t, err := time.Parse("20060102150405", v); err == nil {
			return t.Add(time.Second).Format("20060102150405")
		}
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return time.Now().UTC().Format("20060102150405")
	}
	return strconv.FormatUint(n+1, 10)
}

// camel turns snake_case into CamelCase for module names.
func camel(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "_") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// removeKeywordEdit deletes `key: value` from a call's trailing keyword
// list, with the comma that separates it (the whole list when it is the
// only pair).
func removeKeywordEdit(call *grammar.Node, key string) (analysis.TextEdit, bool) {
	if call == nil || len(call.Args) == 0 {
		return analysis.TextEdit{}, false
	}
	kw := call.Args[len(call.Args)-1]
	if kw.Kind != grammar.Keywords {
		return analysis.TextEdit{}, false
	}
	for i, pair := range kw.Args {
		if pair.Kind != grammar.Pair || pair.Text != key {
			continue
		}
		switch {
		case i > 0:
			return analysis.TextEdit{Start: kw.Args[i-1].End, End: pair.End}, true
		case len(kw.Args) > 1:
			return analysis.TextEdit{Start: pair.Start, End: kw.Args[1].Start}, true
		case len(call.Args) > 1:
			return analysis.TextEdit{Start: call.Args[len(call.Args)-2].End, End: kw.End}, true
		}
		return analysis.TextEdit{}, false
	}
	return analysis.TextEdit{}, false
}

// callWithin finds the first call named one of names inside [start, end).
func callWithin(f *grammar.File, start, end int, names ...string) *grammar.Node {
	var found *grammar.Node
	grammar.Walk(f.Root, func(n *grammar.Node) bool {
		if found != nil || n.End <= start || n.Start >= end {
			return false
		}
		if n.Kind == grammar.Call && n.Start >= start && n.End <= end {
			for _, name := range names {
				if n.Text == name {
					found = n
					return false
				}
			}
		}
		return true
	})
	return found
}

// elixirString renders s as an Elixir double-quoted string literal.
func elixirString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "#{", `\#{`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// sqlReserved are PostgreSQL's reserved key words (and those that cannot be
// a bare table or column name): identifiers spelled like them need quotes.
var sqlReserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`all analyse analyze and any array as asc asymmetric authorization binary both case
		cast check collate collation column concurrently constraint create cross current_catalog current_date
		current_role current_schema current_time current_timestamp current_user default deferrable desc distinct
		do else end except false fetch for foreign freeze from full grant group having ilike in initially inner
		intersect into is isnull join lateral leading left like limit localtime localtimestamp natural not notnull
		null offset on only or order outer overlaps placing primary references returning right select
		session_user similar some symmetric table tablesample then to trailing true union unique user using
		variadic verbose when where window with`) {
		sqlReserved[w] = true
	}
}

// sqlIdent writes an identifier as SQL: bare when PostgreSQL reads it back
// unchanged, double-quoted otherwise.
func sqlIdent(name string) string {
	plain := name != "" && !sqlReserved[name]
	for i, c := range name {
		if !(c == '_' || c >= 'a' && c <= 'z' || i > 0 && (c >= '0' && c <= '9' || c == '$')) {
			plain = false
		}
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// sqlName writes a possibly schema-qualified name as SQL.
func sqlName(q pgsql.QName) string {
	if q.Schema != "" {
		return sqlIdent(q.Schema) + "." + sqlIdent(q.Name)
	}
	return sqlIdent(q.Name)
}

// nameWords turns a name into the snake_case words of a migration file name.
func nameWords(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// validateMigration is the follow-up migration that validates a constraint
// added NOT VALID: VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE, so
// reads and writes go on while it scans.
func validateMigration(p *analysis.Pass, after int, table pgsql.QName, constraint string) analysis.NewFile {
	sql := "ALTER TABLE " + sqlName(table) + " VALIDATE CONSTRAINT " + sqlIdent(constraint)
	body := "\n  def change do\n    execute " + elixirString(sql) + ", \"\"\n  end\n"
	return newMigration(p, after, "validate_"+nameWords(constraint), body)
}

// factsInPlace returns the lock facts sql would have if it ran in place of
// sf's statement: after everything the up direction did before sf's op,
// with the hints of sf's Ecto command (from: types...). Rules use it to
// judge one sub-command of a multi-clause ALTER TABLE on its own. ok is
// false unless sql is exactly one statement.
func factsInPlace(p *analysis.Pass, sf *analysis.StmtFacts, sql string) (locks.Facts, bool) {
	type result struct {
		f  locks.Facts
		ok bool
	}
	r := sf.Memo("in place: "+sql, func() any {
		f, ok := computeInPlace(p, sf, sql)
		return result{f, ok}
	}).(result)
	return r.f, r.ok
}

func computeInPlace(p *analysis.Pass, sf *analysis.StmtFacts, sql string) (locks.Facts, bool) {
	var ops []*analysis.Op
	for _, of := range p.Up {
		if of.Op == sf.Op {
			break
		}
		ops = append(ops, of.Op)
	}
	op := *sf.Op
	op.Queries = []*analysis.Query{{SQL: sql, Start: sf.Query.Start, End: sf.Query.End, Sub: sf.Query.Sub}}
	facts := analysis.ComputeFacts(p.Migration, analysis.Plan{Ops: append(ops, &op)}, p.Context, p.Repo)
	last := facts[len(facts)-1]
	if len(last.Stmts) != 1 {
		return locks.Facts{}, false
	}
	return last.Stmts[0].Facts, true
}

// addOptionEdit sets `key: value` in the options of a call whose options
// are argument optsIndex (index(table, columns, opts): 2): in its keyword
// list, written bare or in brackets, or as a new last argument when the
// call has no options yet. It gives up when the options are not written
// out (a variable, a module attribute), where adding an argument would
// change the call's arity.
func addOptionEdit(f *grammar.File, call *grammar.Node, optsIndex int, key, value string) (analysis.TextEdit, bool) {
	if call == nil || len(call.Args) < optsIndex || len(call.Args) > optsIndex+1 {
		return analysis.TextEdit{}, false
	}
	if len(call.Args) == optsIndex {
		return addKeywordEdit(f, call, key, value)
	}
	opts := call.Args[optsIndex]
	if opts.Kind == grammar.List && len(opts.Args) == 1 && opts.Args[0].Kind == grammar.Keywords {
		opts = opts.Args[0]
	}
	if opts.Kind != grammar.Keywords {
		return analysis.TextEdit{}, false
	}
	if existing := opts.Keyword(key); existing != nil {
		return analysis.TextEdit{Start: existing.Start, End: existing.End, NewText: value}, true
	}
	return analysis.TextEdit{Start: opts.End, End: opts.End, NewText: ", " + key + ": " + value}, true
}
