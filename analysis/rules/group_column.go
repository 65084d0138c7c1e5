package rules

import (
	"path/filepath"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/analysis/pgsql"
	"github.com/lockwise/lockwise/grammar"
)

// columnRules are the rules about columns, defaults, types, renames and drops.
var columnRules = []*analysis.Analyzer{
	NotNullAdded,
	NotNullWithoutDefault,
	VolatileDefault,
	DefaultRewritesTable,
	ColumnTypeChanged,
	ModifyReissuesType,
	ColumnRemoved,
	TableDropped,
	ColumnRenamed,
	TableRenamed,
	JSONColumn,
	FloatForMoney,
}

// columnCmd is one ALTER TABLE sub-command of the up direction, with the
// statement it belongs to.
type columnCmd struct {
	sf  *analysis.StmtFacts
	at  *pgsql.AlterTable
	cmd *pgsql.AlterCmd
}

// alterCmds lists the sub-commands of the given kinds of the ALTER TABLE
// statements of the up direction (DSL alter table and SQL alike), in
// order. Sub-commands on a column whose name is built at run time are
// left out: nothing can be said about them by name.
func alterCmds(p *analysis.Pass, kinds ...pgsql.AlterKind) []columnCmd {
	var out []columnCmd
	for _, sf := range statements(p) {
		at, ok := sf.Stmt.Desc.(*pgsql.AlterTable)
		if !ok || at.Object != pgsql.ObjectTable && at.Object != pgsql.ObjectForeignTable {
			continue
		}
		for i := range at.Cmds {
			c := &at.Cmds[i]
			if pgsql.IsDynamic(c.Column) || c.Def != nil && c.Def.Dynamic {
				continue
			}
			for _, k := range kinds {
				if c.Kind == k {
					out = append(out, columnCmd{sf: sf, at: at, cmd: c})
					break
				}
			}
		}
	}
	return out
}

// column is the column a sub-command is about.
func (c columnCmd) column() string {
	if c.cmd.Def != nil {
		return c.cmd.Def.Name
	}
	return c.cmd.Column
}

// where is the range to report the sub-command at: its add/modify/remove
// call for the DSL, the SQL statement for SQL.
func (c columnCmd) where(kinds ...analysis.SubKind) (start, end int) {
	return whereColumn(c.sf, c.column(), kinds...)
}

// sub is the DSL sub-command that produced the sub-command, nil for SQL.
func (c columnCmd) sub(kinds ...analysis.SubKind) *analysis.Sub {
	if fromSQL(c.sf) {
		return nil
	}
	return subFor(c.sf.Op, c.column(), kinds...)
}

// facts are the lock facts of the sub-command on its own: the statement's
// facts when it is the only sub-command, otherwise those of an ALTER TABLE
// holding only this sub-command, run where the statement runs (after
// everything the migration did before it, with the hints of its Ecto
// command). ok is false when the sub-command cannot be isolated.
func (c columnCmd) facts(p *analysis.Pass) (locks.Facts, bool) {
	if len(c.at.Cmds) == 1 {
		return c.sf.Facts, true
	}
	if c.at.Table.Dynamic {
		return locks.Facts{}, false
	}
	var clause string
	switch c.cmd.Kind {
	case pgsql.AlterColumnType:
		if c.cmd.Type.IsZero() || c.cmd.Type.Dynamic {
			return locks.Facts{}, false
		}
		clause = "ALTER COLUMN " + sqlIdent(c.cmd.Column) + " TYPE " + c.cmd.Type.String()
		if c.cmd.Using != nil {
			if c.cmd.Using.Text == "" {
				return locks.Facts{}, false
			}
			clause += " USING " + c.cmd.Using.Text
		}
	case pgsql.AlterSetNotNull:
		clause = "ALTER COLUMN " + sqlIdent(c.cmd.Column) + " SET NOT NULL"
	default:
		return locks.Facts{}, false
	}
	only := "ALTER TABLE "
	if c.at.Only {
		only += "ONLY "
	}
	return factsInPlace(p, c.sf, only+sqlName(c.at.Table)+" "+clause)
}

// diag builds a diagnostic with the classification and lock of the
// sub-command's own facts.
func (c columnCmd) diag(f locks.Facts, start, end int, msg string) analysis.Diagnostic {
	d := analysis.Diagnostic{Start: start, End: end, Message: msg, Classification: locks.Classify(f), Table: f.Table}
	if f.Mode != locks.None {
		d.Lock = f.Mode.String()
	}
	return d
}

// reportShown reports d with the placeholders of run-time parts of the SQL
// (table names built by interpolation, helper calls) shown as the Elixir
// they stand for, `#{table_name()}`.
func reportShown(p *analysis.Pass, sf *analysis.StmtFacts, d analysis.Diagnostic) {
	p.Report(shown(sf, d))
}

// reportBreaking reports a finding the workspace makes certain to break the
// application (an Ecto schema still uses what is dropped): one severity
// level above the configured one, as the catalog says.
func reportBreaking(p *analysis.Pass, sf *analysis.StmtFacts, d analysis.Diagnostic) {
	p.ReportEscalated(shown(sf, d))
}

// shown writes the placeholders of d as the Elixir they stand for.
func shown(sf *analysis.StmtFacts, d analysis.Diagnostic) analysis.Diagnostic {
	for _, h := range sf.Query.Holes {
		d.Message = strings.ReplaceAll(d.Message, h.Placeholder, "#{"+h.Source+"}")
		d.Table = strings.ReplaceAll(d.Table, h.Placeholder, "#{"+h.Source+"}")
	}
	return d
}

// blockedFor says what waits while a statement holds its lock and for how
// long, from its facts: "every read and write of the table waits ...".
func blockedFor(f locks.Facts, long bool) string {
	b := blocking(f)
	if long {
		return b + " for a time proportional to the table size"
	}
	return b
}

// lockOn names the lock a statement takes on its table, in Postgres's
// words: `ACCESS EXCLUSIVE lock on "users"`.
func lockOn(f locks.Facts) string {
	return f.Mode.String() + " lock on " + tableName(f.Table)
}

// colRef names a column of a table for messages: "users"."email".
func colRef(table, column string) string {
	return tableName(table) + "." + tableName(column)
}

// firstNote returns the first note of the facts that contains one of the
// words, "" when none does.
func firstNote(f locks.Facts, words ...string) string {
	for _, n := range f.Notes {
		for _, w := range words {
			if strings.Contains(n, w) {
				return n
			}
		}
	}
	return ""
}

// schemaRelated lists, as related information, the Ecto schemas in lib/
// that still have a field stored in column of table (or, with column "",
// that map table). It is empty when the workspace model is not available.
func schemaRelated(p *analysis.Pass, table, column, why string) []analysis.Related {
	if p.Schema == nil || table == "" {
		return nil
	}
	var rel []analysis.Related
	if column == "" {
		rel = p.Schema.Schemas(table)
	} else {
		rel = p.Schema.SchemaFields(table, column)
	}
	out := make([]analysis.Related, 0, len(rel))
	for _, r := range rel {
		if r.Message == "" {
			r.Message = why
		} else {
			r.Message += ": " + why
		}
		out = append(out, r)
	}
	return out
}

// typeWord renders the SQL type of a column for messages.
func typeWord(t pgsql.TypeName) string {
	if s := t.String(); s != "" {
		return s
	}
	return "?"
}

// typedColumn is a column whose type a statement sets: a column of CREATE
// TABLE, ADD COLUMN, ALTER COLUMN ... TYPE.
type typedColumn struct {
	sf     *analysis.StmtFacts
	table  string
	column string
	typ    pgsql.TypeName
	// sub is the DSL add/modify that wrote it, nil for SQL.
	sub   *analysis.Sub
	kinds []analysis.SubKind
}

// typedColumns lists the columns whose type the up direction sets, in
// tables old and new, DSL and SQL.
func typedColumns(p *analysis.Pass) []typedColumn {
	var out []typedColumn
	add := func(sf *analysis.StmtFacts, table pgsql.QName, column string, typ pgsql.TypeName, kinds ...analysis.SubKind) {
		if table.Dynamic || pgsql.IsDynamic(column) || typ.Dynamic || typ.IsZero() {
			return
		}
		c := typedColumn{sf: sf, table: qname(table), column: column, typ: typ, kinds: kinds}
		if !fromSQL(sf) {
			c.sub = subFor(sf.Op, column, kinds...)
		}
		out = append(out, c)
	}
	for _, sf := range statements(p) {
		switch d := sf.Stmt.Desc.(type) {
		case *pgsql.CreateTable:
			for _, col := range d.Columns {
				add(sf, d.Table, col.Name, col.Type, analysis.SubAdd)
			}
		case *pgsql.AlterTable:
			if d.Object != pgsql.ObjectTable {
				continue
			}
			for _, k := range d.Cmds {
				switch {
				case k.Kind == pgsql.AlterAddColumn && k.Def != nil:
					add(sf, d.Table, k.Def.Name, k.Def.Type, analysis.SubAdd, analysis.SubAddIfNotExists)
				case k.Kind == pgsql.AlterColumnType:
					add(sf, d.Table, k.Column, k.Type, analysis.SubModify)
				}
			}
		}
	}
	return out
}

// diag builds a diagnostic at the column's add/modify call (DSL) or its
// statement (SQL).
func (c typedColumn) diag(msg string) analysis.Diagnostic {
	start, end := whereColumn(c.sf, c.column, c.kinds...)
	return diag(c.sf, start, end, msg)
}

// typeAtom finds the atom `:name` written in a DSL sub-command's type
// (`:json`, `{:array, :json}`), for fixes that replace it; nil when the
// type is not written there (a variable, a module attribute).
func typeAtom(s *analysis.Sub, name string) *grammar.Node {
	if s == nil || s.Type == nil {
		return nil
	}
	var find func(v analysis.Value) *grammar.Node
	find = func(v analysis.Value) *grammar.Node {
		switch v.Kind {
		case analysis.VAtom:
			n := v.Node
			if v.S == name && n != nil && n.Kind == grammar.Atom && n.Start >= s.Start && n.End <= s.End && n.Str == nil {
				return n
			}
		case analysis.VTuple:
			for _, it := range v.Items {
				if n := find(it); n != nil {
					return n
				}
			}
		}
		return nil
	}
	return find(*s.Type)
}

// onlyOpts reports whether the sub-command's options are all among keys.
func onlyOpts(s *analysis.Sub, keys ...string) bool {
	for _, k := range s.Opts.Keys {
		found := false
		for _, want := range keys {
			found = found || k == want
		}
		if !found {
			return false
		}
	}
	return true
}

// typeOpts are the options of a column that are part of its SQL type.
var typeOpts = []string{"size", "precision", "scale"}

// sameTypeFrom reports whether a modify's from: names the very type it
// sets (same Ecto type, same size/precision/scale): then its ALTER COLUMN
// TYPE changes nothing.
func sameTypeFrom(s *analysis.Sub) bool {
	from, ok := s.Opt("from")
	if !ok || s.Type == nil || !from.IsStatic() {
		return false
	}
	t, opts := from, analysis.Value{Kind: analysis.VList, Keys: []string{}}
	if from.Kind == analysis.VTuple && len(from.Items) == 2 && from.Items[1].IsKeyword() {
		t, opts = from.Items[0], from.Items[1]
	}
	if t.Kind == analysis.VRef || s.Type.Kind == analysis.VRef || t.Elixir() != s.Type.Elixir() {
		return false
	}
	for _, k := range typeOpts {
		a, okA := s.Opt(k)
		b, okB := opts.Get(k)
		if okA != okB || okA && a.Elixir() != b.Elixir() {
			return false
		}
	}
	return true
}

// constraintName builds a constraint name from the table, the column and a
// suffix, as Ecto names foreign keys (<table>_<column>_fkey).
func constraintName(table, column, suffix string) string {
	return nameWords(table) + "_" + nameWords(column) + "_" + suffix
}

// elixirAtom renders a name as an Elixir atom (:users, :"my table").
func elixirAtom(s string) string {
	return analysis.Value{Kind: analysis.VAtom, S: s}.Elixir()
}

// prefixOpt renders the prefix: option of a table name, "" without schema.
func prefixOpt(t pgsql.QName) string {
	if t.Schema == "" {
		return ""
	}
	return ", prefix: " + elixirString(t.Schema)
}

// schemasToChange names the Ecto schemas of rel for a message: "Ecto
// schemas to change: Shop.User (lib/shop/user.ex)."; "" when there are none.
func schemasToChange(rel []analysis.Related) string {
	if len(rel) == 0 {
		return ""
	}
	var names []string
	seen := map[string]bool{}
	for _, r := range rel {
		mod, _, _ := strings.Cut(r.Message, " ")
		n := mod + " (" + filepath.Base(r.Path) + ")"
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if len(names) == 1 {
		return " Ecto schema to change: " + names[0] + "."
	}
	return " Ecto schemas to change: " + strings.Join(names, ", ") + "."
}
