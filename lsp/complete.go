package lsp

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/lockwise/lockwise/analysis/workspace"
)

// Completion in migration files, decided from the text before the cursor
// as typed, so that it works while the file does not parse: a small
// Elixir lexer finds the calls the cursor is inside (complete_lex.go);
// names come from the workspace model, which holds the last version of
// the file that parsed (see ProjectModel.Record).
//
// What is completed:
//   - table names: first argument of table(), index(), unique_index(),
//     references(), constraint();
//   - column names: of the table of the enclosing `alter table(:t) do`
//     for modify/remove/remove_if_exists, of `rename table(:t), :col`, in
//     the column list of index()/unique_index(); after `add :`, the fields
//     of the Ecto schemas of the table that have no column yet;
//   - Ecto types after `add :x, ` and `modify :x, ` (and the values of
//     from:/type:);
//   - option keys valid for the call the cursor is in, not yet given;
//   - values of on_delete:, on_update:, using: and boolean options.

// candidate is one completion, in bytes: it replaces [start, end) of the
// text with insert.
type candidate struct {
	label      string
	kind       candidateKind
	detail     string
	doc        string // markdown
	insert     string
	start, end int
	sort       string // sort key; label order when equal
}

type candidateKind int

const (
	candTable candidateKind = iota + 1
	candColumn
	candType
	candOption
	candValue
)

// completionModel is what completion knows of the project.
type completionModel interface {
	// tables lists the tables known to the migration (before it, and
	// after it: the ones it creates).
	tables() []tableInfo
	// columns lists the columns of a table.
	columns(table string) []columnInfo
	// schemaFields lists the Ecto schema fields stored in table, with
	// their column names.
	schemaFields(table string) []columnInfo
}

type tableInfo struct {
	name, detail string
}

type columnInfo struct {
	name, detail string
}

// tableCallNames take a table name as first argument.
var tableCallNames = map[string]bool{"table": true, "index": true, "unique_index": true, "references": true, "constraint": true}

// positional is how many positional arguments come before the options
// of a call.
var positional = map[string]int{
	"add": 2, "add_if_not_exists": 2, "modify": 2,
	"references": 1, "index": 2, "unique_index": 2, "table": 1, "constraint": 2,
	"timestamps": 0,
}

type option struct{ key, doc string }

// callOptions are the options of each migration call (ecto_sql 3.13).
var callOptions = map[string][]option{
	"add": {
		{"null", "`false` adds NOT NULL (on an existing table: needs a default, or fails on any row)"},
		{"default", "the column default; a volatile one (`fragment(\"gen_random_uuid()\")`) rewrites the table"},
		{"primary_key", "`true` makes the column (part of) the primary key"},
		{"size", "the size of a `:string` (varchar) column; default 255"},
		{"precision", "numeric precision (`:decimal`), fractional seconds of timestamps"},
		{"scale", "numeric scale (`:decimal`); needs `precision`"},
		{"comment", "COMMENT ON COLUMN"},
		{"collation", "COLLATE of a text column"},
		{"generated", "a generated column: `\"ALWAYS AS (expr) STORED\"` (rewrites an existing table)"},
	},
	"modify": {
		{"null", "`false`: SET NOT NULL (scans under ACCESS EXCLUSIVE without a validated CHECK); `true`: DROP NOT NULL"},
		{"default", "SET DEFAULT"},
		{"from", "the previous type (and options): makes the change reversible and tells lockwise the old type"},
		{"size", "the size of a `:string` (varchar) column"},
		{"precision", "numeric precision"},
		{"scale", "numeric scale"},
		{"comment", "COMMENT ON COLUMN"},
		{"collation", "COLLATE of a text column"},
		{"primary_key", "`true` adds the column to the primary key"},
	},
	"references": {
		{"on_delete", "what deleting the referenced row does: `:nothing`, `:delete_all`, `:nilify_all`, `:restrict`"},
		{"on_update", "what updating the referenced key does: `:nothing`, `:update_all`, `:nilify_all`, `:restrict`"},
		{"type", "the type of the foreign key column (default `:bigserial`, i.e. bigint)"},
		{"column", "the referenced column (default `:id`)"},
		{"validate", "`false` adds the constraint NOT VALID: no scan; VALIDATE CONSTRAINT later"},
		{"name", "the constraint name (default `<table>_<column>_fkey`)"},
		{"prefix", "the schema of the referenced table"},
		{"with", "more column pairs of a composite key: `[group_id: :group_id]`"},
		{"match", "`:simple`, `:full` or `:partial`"},
	},
	"index": {
		{"unique", "a unique index"},
		{"concurrently", "build without blocking writes (needs `@disable_ddl_transaction true` and `@disable_migration_lock true`)"},
		{"using", "the index method: `:btree`, `:gin`, `:gist`, `:hash`, `:brin`, `:spgist`"},
		{"where", "a partial index: the SQL predicate as a string"},
		{"include", "non-key columns stored in the index (covering index)"},
		{"name", "the index name (default `<table>_<columns>_index`)"},
		{"prefix", "the schema of the table"},
		{"nulls_distinct", "`false`: NULLS NOT DISTINCT (PostgreSQL 15+)"},
		{"only", "`true`: ON ONLY (the partitioned table, not its partitions)"},
		{"comment", "COMMENT ON INDEX"},
		{"options", "storage parameters, raw SQL in WITH (...): `\"fillfactor = 70\"`"},
	},
	"table": {
		{"primary_key", "`false`: no default id column; a keyword list configures it"},
		{"prefix", "the schema of the table"},
		{"comment", "COMMENT ON TABLE"},
		{"options", "raw SQL appended to CREATE TABLE: `\"WITH (fillfactor = 90)\"`"},
	},
	"constraint": {
		{"check", "the CHECK expression, raw SQL"},
		{"exclude", "the EXCLUDE definition, raw SQL (`\"gist (room WITH =, during WITH &&)\"`)"},
		{"validate", "`false` adds the constraint NOT VALID: no scan; VALIDATE CONSTRAINT later"},
		{"prefix", "the schema of the table"},
		{"comment", "COMMENT ON CONSTRAINT"},
	},
	"timestamps": {
		{"type", "the type of both columns (default `:naive_datetime`)"},
		{"inserted_at", "the name of the insertion column, or `false`"},
		{"updated_at", "the name of the update column, or `false`"},
		{"default", "a default for both columns"},
		{"null", "`true` allows NULL (default `false`)"},
	},
}

func init() {
	callOptions["add_if_not_exists"] = callOptions["add"]
	callOptions["unique_index"] = callOptions["index"]
}

type value struct{ text, doc string }

// optionValues are the values offered after `key: ` (any call).
var optionValues = map[string][]value{
	"on_delete": {
		{":nothing", "NO ACTION (the default): deleting a referenced row fails"},
		{":delete_all", "ON DELETE CASCADE"},
		{":nilify_all", "ON DELETE SET NULL"},
		{":restrict", "ON DELETE RESTRICT"},
		{":default_all", "ON DELETE SET DEFAULT"},
		{"{:nilify, [:column]}", "ON DELETE SET NULL (columns) (PostgreSQL 15+)"},
	},
	"on_update": {
		{":nothing", "NO ACTION (the default)"},
		{":update_all", "ON UPDATE CASCADE"},
		{":nilify_all", "ON UPDATE SET NULL"},
		{":restrict", "ON UPDATE RESTRICT"},
	},
	"using": {
		{":btree", "the default method"},
		{":gin", "arrays, jsonb, full text search"},
		{":gist", "geometry, ranges, exclusion constraints"},
		{":hash", "equality only"},
		{":brin", "block ranges: huge, naturally ordered tables"},
		{":spgist", "space-partitioned GiST"},
	},
	"match": {
		{":simple", "MATCH SIMPLE (the default)"},
		{":full", "MATCH FULL"},
		{":partial", "MATCH PARTIAL"},
	},
}

// booleanOptions take true or false.
var booleanOptions = map[string]bool{"null": true, "primary_key": true, "unique": true, "concurrently": true,
	"validate": true, "only": true, "nulls_distinct": true}

type ectoType struct{ name, sql, doc string }

// ectoTypes are the column types of migrations and the SQL they become
// (reference/ecto-sql-3.13.md section 2).
var ectoTypes = []ectoType{
	{":string", "varchar(255)", "`size:` changes the length"},
	{":text", "text", ""},
	{":integer", "integer", ""},
	{":bigint", "bigint", ""},
	{":boolean", "boolean", ""},
	{":decimal", "decimal", "`precision:` and `scale:`"},
	{":float", "float (float8)", "not for money: use `:decimal`"},
	{":uuid", "uuid", ""},
	{":binary_id", "uuid", ""},
	{":id", "integer", ""},
	{":map", "jsonb", ""},
	{":jsonb", "jsonb", ""},
	{":binary", "bytea", ""},
	{":date", "date", ""},
	{":time", "time(0)", ""},
	{":time_usec", "time", ""},
	{":naive_datetime", "timestamp(0)", ""},
	{":naive_datetime_usec", "timestamp", ""},
	{":utc_datetime", "timestamp(0)", "WITHOUT time zone, like `:naive_datetime`"},
	{":utc_datetime_usec", "timestamp", "WITHOUT time zone"},
	{":timestamptz", "timestamptz", "any other atom is sent as the SQL type"},
	{":citext", "citext", "needs the citext extension"},
	{":smallint", "smallint", ""},
	{":serial", "serial", ""},
	{":bigserial", "bigserial", ""},
	{":identity", "bigint GENERATED BY DEFAULT AS IDENTITY", ""},
	{":duration", "interval", ""},
	{":bitstring", "varbit", ""},
	{"{:array, :string}", "varchar(255)[]", "an array of any type"},
	{"references(:table)", "bigint + FOREIGN KEY", "a foreign key column"},
}

// complete returns the completions at offset in text, best first.
func complete(text []byte, offset int, model completionModel) []candidate {
	if offset < 0 || offset > len(text) {
		return nil
	}
	cx := lexContext(text, offset)
	if cx == nil {
		return nil
	}
	var out []candidate
	top := cx.top()
	call := top.call
	switch {
	case cx.afterKey != "":
		out = valueCandidates(cx, call, cx.afterKey)
	case cx.partial.kind == 'k':
		return nil // a keyword key being typed ends with its colon
	case top.open == '(' && tableCallNames[call] && top.arg == 0:
		for _, t := range model.tables() {
			out = append(out, nameCandidate(cx, t.name, t.detail, candTable))
		}
	case top.open == '[' && cx.parent() != nil && (cx.parent().call == "index" || cx.parent().call == "unique_index") && cx.parent().arg == 1:
		if t := cx.parent().firstAtom; t != "" {
			for _, c := range model.columns(t) {
				out = append(out, nameCandidate(cx, c.name, c.detail, candColumn))
			}
		}
	case (call == "modify" || call == "remove" || call == "remove_if_exists") && top.arg == 0:
		if t := cx.blockTable("alter"); t != "" {
			for _, c := range model.columns(t) {
				out = append(out, nameCandidate(cx, c.name, c.detail, candColumn))
			}
		}
	case call == "rename" && top.arg == 1 && top.firstTable != "":
		for _, c := range model.columns(top.firstTable) {
			out = append(out, nameCandidate(cx, c.name, c.detail, candColumn))
		}
	case (call == "add" || call == "add_if_not_exists") && top.arg == 0:
		if t := cx.blockTable("create", "alter", "create_if_not_exists"); t != "" {
			have := map[string]bool{}
			for _, c := range model.columns(t) {
				have[c.name] = true
			}
			for _, f := range model.schemaFields(t) {
				if !have[f.name] {
					out = append(out, nameCandidate(cx, f.name, f.detail, candColumn))
				}
			}
		}
	case (call == "add" || call == "add_if_not_exists" || call == "modify") && top.arg == 1:
		out = typeCandidates(cx)
	case positionalDone(top) && cx.partial.kind != 'a' && cx.partial.kind != 's':
		out = optionCandidates(cx, top)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].sort != out[j].sort {
			return out[i].sort < out[j].sort
		}
		return out[i].label < out[j].label
	})
	return out
}

// positionalDone reports whether the cursor is past the positional
// arguments of a call that takes options.
func positionalDone(f *lexFrame) bool {
	n, ok := positional[f.call]
	return ok && f.arg >= n && (f.open == '(' || f.open == 'L')
}

// replaceRange is the range a candidate replaces: the atom (with its
// colon) or identifier under the cursor, whole, or the content of the
// string the cursor is in.
func (cx *lexed) replaceRange() (int, int) {
	return cx.partial.start, cx.partial.end
}

// nameCandidate completes a table or column name: an atom, or the bare
// name inside a string being typed.
func nameCandidate(cx *lexed, name, detail string, kind candidateKind) candidate {
	start, end := cx.replaceRange()
	insert := ":" + name
	if cx.partial.kind == 's' {
		insert = name
	} else if !isPlainAtom(name) {
		insert = ":\"" + name + "\""
	}
	sortKey := "1"
	if kind == candColumn {
		sortKey = "0"
	}
	return candidate{label: name, kind: kind, detail: detail, insert: insert, start: start, end: end, sort: sortKey}
}

func typeCandidates(cx *lexed) []candidate {
	start, end := cx.replaceRange()
	var out []candidate
	for i, t := range ectoTypes {
		out = append(out, candidate{label: t.name, kind: candType, detail: t.sql, doc: t.doc,
			insert: t.name, start: start, end: end, sort: sortIndex(i)})
	}
	return out
}

func optionCandidates(cx *lexed, f *lexFrame) []candidate {
	start, end := cx.replaceRange()
	var out []candidate
	for i, o := range callOptions[f.call] {
		if f.keys[o.key] {
			continue // given already
		}
		out = append(out, candidate{label: o.key + ":", kind: candOption, detail: f.call + " option", doc: o.doc,
			insert: o.key + ": ", start: start, end: end, sort: sortIndex(i)})
	}
	return out
}

func valueCandidates(cx *lexed, call, key string) []candidate {
	start, end := cx.replaceRange()
	var out []candidate
	switch {
	case key == "from" && call == "modify" || key == "type" && (call == "references" || call == "timestamps"):
		return typeCandidates(cx)
	case booleanOptions[key]:
		for i, v := range []string{"true", "false"} {
			out = append(out, candidate{label: v, kind: candValue, insert: v, start: start, end: end, sort: sortIndex(i)})
		}
	default:
		for i, v := range optionValues[key] {
			out = append(out, candidate{label: v.text, kind: candValue, detail: key, doc: v.doc,
				insert: v.text, start: start, end: end, sort: sortIndex(i)})
		}
	}
	return out
}

func sortIndex(i int) string {
	return string(rune('a'+i/26)) + string(rune('a'+i%26))
}

// isPlainAtom reports whether :name needs no quotes.
func isPlainAtom(name string) bool {
	if name == "" || !(name[0] == '_' || name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') {
		return false
	}
	return strings.IndexFunc(name, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) < 0
}

// workspaceCompletion is the completionModel of a migration: the tables
// and columns of its repo as replayed before it and after it (the ones it
// creates itself, from the last version of it that parsed).
type workspaceCompletion struct {
	p    *projectModel // nil: nothing known
	path string
}

func (w workspaceCompletion) states() []*workspace.State {
	if w.p == nil {
		return nil
	}
	r := w.p.ws.RepoOf(w.path)
	if r == nil {
		return nil
	}
	return []*workspace.State{r.Before(w.path), r.After(w.path)}
}

func (w workspaceCompletion) tables() []tableInfo {
	var out []tableInfo
	seen := map[string]bool{}
	for _, st := range w.states() {
		for _, t := range st.Tables() {
			name := t.Name
			if t.Schema != "" && t.Schema != "public" {
				name = t.Schema + "." + t.Name
			}
			if seen[name] {
				continue
			}
			seen[name] = true
			detail := "table"
			if t.Origin.Path != "" {
				detail = "table, created in " + filepath.Base(t.Origin.Path)
			}
			out = append(out, tableInfo{name: t.Name, detail: detail})
		}
	}
	return out
}

func (w workspaceCompletion) columns(table string) []columnInfo {
	var out []columnInfo
	seen := map[string]bool{}
	for _, st := range w.states() {
		t := st.Table("", table)
		if t == nil {
			continue
		}
		for _, c := range t.Columns {
			if seen[c.Name] {
				continue
			}
			seen[c.Name] = true
			detail := c.Type
			if detail == "" {
				detail = "type unknown"
			}
			if c.NotNull {
				detail += " NOT NULL"
			}
			out = append(out, columnInfo{name: c.Name, detail: detail})
		}
	}
	return out
}

func (w workspaceCompletion) schemaFields(table string) []columnInfo {
	if w.p == nil {
		return nil
	}
	var out []columnInfo
	for _, es := range w.p.ws.EctoSchemas(table) {
		for _, f := range es.Fields {
			out = append(out, columnInfo{name: f.Column, detail: "field :" + f.Name + " " + f.Type + " of " + es.Module})
		}
	}
	return out
}
