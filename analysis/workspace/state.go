// Package workspace is the repository-wide model: every migration of a
// repo replayed in version order into a schema (tables, columns, indexes,
// constraints, enums, and the migration that created each), and the Ecto
// schemas of lib/ read as text. It answers what one migration file cannot
// say: the old type of a column, whether a validated NOT NULL check exists,
// whether a removed column is still a field of a schema, where a table was
// created.
//
// Migrations are replayed through their SQL (DSL lowered by package
// analysis, raw SQL parsed by analysis/pgsql), so both count the same way.
// Parts built at run time are marked unknown, never guessed.
package workspace

import (
	"sort"
	"strings"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// Origin is where an object was created: a migration file and the command.
type Origin struct {
	Path       string
	Version    string
	Start, End int
}

// Column is a column as replayed.
type Column struct {
	Name string
	// Type is the canonical SQL type ("varchar(255)"), "" when unknown.
	Type       string
	NotNull    bool
	HasDefault bool
	Default    string
	Origin     Origin
}

// Constraint is a table constraint as replayed.
type Constraint struct {
	Name          string
	Kind          pgsql.ConstraintKind
	Validated     bool
	NotNullColumn string
	Columns       []string
	References    string // key of the referenced table for foreign keys
	Origin        Origin
}

// Index is an index as replayed.
type Index struct {
	Name    string
	Table   string // key of its table
	Columns []string
	Unique  bool
	Origin  Origin
}

// Table is a table as replayed.
type Table struct {
	Schema, Name string
	Columns      []*Column
	Constraints  []*Constraint
	Origin       Origin
	// Partial is set when a statement built at run time, or one lockwise
	// could not parse, may have changed the table: its column list may be
	// incomplete.
	Partial bool
}

// Column finds a column by name.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Enum is an enum type as replayed.
type Enum struct {
	Schema, Name string
	Values       []string
	Origin       Origin
}

// State is a repo's schema at one point of its history.
type State struct {
	tables  map[string]*Table // by key(schema, name)
	indexes map[string]*Index // by key(schema, name)
	// byTable indexes the indexes by the key of their table, so that
	// renames and drops touch only that table's indexes.
	byTable map[string]map[string]*Index
	enums   map[string]*Enum
	// Unknown lists the statements that could not be applied (dynamic or
	// unparsable) and may have changed the schema.
	Unknown []Origin
}

func newState() *State {
	return &State{tables: map[string]*Table{}, indexes: map[string]*Index{}, byTable: map[string]map[string]*Index{}, enums: map[string]*Enum{}}
}

// key joins a schema and a name; the empty schema is public.
func key(schema, name string) string {
	if schema == "" {
		schema = "public"
	}
	return schema + "." + name
}

func qkey(q pgsql.QName) string { return key(q.Schema, q.Name) }

// Table returns a table by schema ("" = public) and name.
func (s *State) Table(schema, name string) *Table { return s.tables[key(schema, name)] }

// Tables lists the tables, in no particular order.
func (s *State) Tables() []*Table {
	out := make([]*Table, 0, len(s.tables))
	for _, t := range s.tables {
		out = append(out, t)
	}
	return out
}

// Index returns an index by schema and name.
func (s *State) Index(schema, name string) *Index { return s.indexes[key(schema, name)] }

// IndexesOf lists the indexes of a table, by name.
func (s *State) IndexesOf(schema, table string) []*Index {
	var out []*Index
	for _, ix := range s.byTable[key(schema, table)] {
		out = append(out, ix)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// putIndex records an index under its key and its table.
func (s *State) putIndex(k string, ix *Index) {
	s.dropIndex(k)
	s.indexes[k] = ix
	m := s.byTable[ix.Table]
	if m == nil {
		m = map[string]*Index{}
		s.byTable[ix.Table] = m
	}
	m[k] = ix
}

// dropIndex forgets an index.
func (s *State) dropIndex(k string) {
	if ix := s.indexes[k]; ix != nil {
		delete(s.indexes, k)
		delete(s.byTable[ix.Table], k)
	}
}

// Enum returns an enum type.
func (s *State) Enum(schema, name string) *Enum { return s.enums[key(schema, name)] }

// clone deep-copies the state (checkpoints).
func (s *State) clone() *State {
	c := newState()
	for k, t := range s.tables {
		nt := *t
		nt.Columns = make([]*Column, len(t.Columns))
		for i, col := range t.Columns {
			cc := *col
			nt.Columns[i] = &cc
		}
		nt.Constraints = make([]*Constraint, len(t.Constraints))
		for i, con := range t.Constraints {
			cc := *con
			nt.Constraints[i] = &cc
		}
		c.tables[k] = &nt
	}
	for k, ix := range s.indexes {
		n := *ix
		n.Columns = append([]string(nil), ix.Columns...)
		c.putIndex(k, &n)
	}
	for k, e := range s.enums {
		n := *e
		n.Values = append([]string(nil), e.Values...)
		c.enums[k] = &n
	}
	c.Unknown = append([]Origin(nil), s.Unknown...)
	return c
}

// typeString renders a column type canonically.
func typeString(t pgsql.TypeName) string {
	if t.Dynamic || t.IsZero() {
		return ""
	}
	switch {
	case t.Name == "serial" && !t.Array:
		return "integer"
	case t.Name == "bigserial" && !t.Array:
		return "bigint"
	case t.Name == "smallserial" && !t.Array:
		return "smallint"
	}
	return t.String()
}

// defaultIndexName is the name PostgreSQL gives an unnamed index or
// constraint: table_col1_col2_suffix (truncated names are not modelled).
func defaultIndexName(table string, cols []string, suffix string) string {
	return table + "_" + strings.Join(cols, "_") + "_" + suffix
}
