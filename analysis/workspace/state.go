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
	"sync"

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
	// ver is the position of the migration that wrote this value: table
	// versions share the columns they do not change (see ownColumn).
	ver int
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
	ver           int // as Column.ver
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
	// seq is the position of the migration that created the table.
	seq int
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

// history holds every version of every object of a repo's schema: an
// object changed by the migration at position seq gets a version with that
// seq (copy on write), and a State reads, for each object, the last
// version older than its position. One replay serves the view of every
// migration; editing migration i drops the versions from i on and replays
// from there.
type history struct {
	// mu guards everything: replays write under it, views read under it
	// (a replay may run while a hover reads another view).
	mu      sync.RWMutex
	tables  map[string][]version[*Table]
	indexes map[string][]version[*Index]
	enums   map[string][]version[*Enum]
	// tableIndexes lists, per table key, every index key ever recorded
	// for it (filtered by the index's version when read).
	tableIndexes map[string]map[string]bool
	unknown      []version[Origin]
}

// version is one object's value from migration seq on; a nil value
// (zero) means the object was dropped there.
type version[T any] struct {
	seq int
	val T
}

func newHistory() *history {
	return &history{tables: map[string][]version[*Table]{}, indexes: map[string][]version[*Index]{},
		enums: map[string][]version[*Enum]{}, tableIndexes: map[string]map[string]bool{}}
}

// at returns the last version older than limit.
func at[T any](vs []version[T], limit int) (T, bool) {
	i := sort.Search(len(vs), func(i int) bool { return vs[i].seq >= limit })
	if i == 0 {
		var zero T
		return zero, false
	}
	return vs[i-1].val, true
}

// put records val as the version of seq, replacing one of the same seq.
func put[T any](vs []version[T], seq int, val T) []version[T] {
	if n := len(vs); n > 0 && vs[n-1].seq == seq {
		vs[n-1].val = val
		return vs
	}
	return append(vs, version[T]{seq: seq, val: val})
}

// fork returns a new history holding what the migrations before position
// seq did. Version slices are shared but capped (s[:n:n]), so appends to
// the fork never write into h's arrays; the inner maps of tableIndexes
// are copied, since replay adds to them. h itself is left intact for the
// States still reading it.
func (h *history) fork(seq int) *history {
	n := newHistory()
	forkVersions(n.tables, h.tables, seq)
	forkVersions(n.indexes, h.indexes, seq)
	forkVersions(n.enums, h.enums, seq)
	for k, m := range h.tableIndexes {
		c := make(map[string]bool, len(m))
		for ik := range m {
			c[ik] = true
		}
		n.tableIndexes[k] = c
	}
	i := sort.Search(len(h.unknown), func(i int) bool { return h.unknown[i].seq >= seq })
	n.unknown = h.unknown[:i:i]
	return n
}

func forkVersions[T any](dst, src map[string][]version[T], seq int) {
	for k, vs := range src {
		if i := sort.Search(len(vs), func(i int) bool { return vs[i].seq >= seq }); i > 0 {
			dst[k] = vs[:i:i]
		}
	}
}

// State is a repo's schema just before the migration at one position, as
// read from the history. A State used for replay (by apply) also writes
// the versions of the migration at that position.
type State struct {
	h *history
	// pos: reads see the versions older than pos; writes are versions of
	// pos (a writer reads its own writes: it reads below pos+1).
	pos     int
	writing bool
}

func newState() *State { return &State{h: newHistory(), writing: true} }

// rlock takes the read lock for a view; a writer already holds the
// history's write lock (replay).
func (s *State) rlock() func() {
	if s.writing {
		return func() {}
	}
	s.h.mu.RLock()
	return s.h.mu.RUnlock
}

func (s *State) limit() int {
	if s.writing {
		return s.pos + 1
	}
	return s.pos
}

// key joins a schema and a name; the empty schema is public.
func key(schema, name string) string {
	if schema == "" {
		schema = "public"
	}
	return schema + "." + name
}

func qkey(q pgsql.QName) string { return key(q.Schema, q.Name) }

func (s *State) getTable(k string) *Table {
	t, _ := at(s.h.tables[k], s.limit())
	return t
}

// mutTable returns the table under k for writing: the version of this
// migration, copied from the previous one on first write.
func (s *State) mutTable(k string) *Table {
	vs := s.h.tables[k]
	if n := len(vs); n > 0 && vs[n-1].seq == s.pos {
		return vs[n-1].val
	}
	t := s.getTable(k)
	if t == nil {
		return nil
	}
	c := t.clone()
	s.h.tables[k] = put(vs, s.pos, c)
	return c
}

func (s *State) setTable(k string, t *Table) { s.h.tables[k] = put(s.h.tables[k], s.pos, t) }

func (s *State) delTable(k string) {
	if s.getTable(k) != nil {
		s.setTable(k, nil)
	}
}

func (s *State) getIndex(k string) *Index {
	ix, _ := at(s.h.indexes[k], s.limit())
	return ix
}

func (s *State) mutIndex(k string) *Index {
	vs := s.h.indexes[k]
	if n := len(vs); n > 0 && vs[n-1].seq == s.pos {
		return vs[n-1].val
	}
	ix := s.getIndex(k)
	if ix == nil {
		return nil
	}
	c := *ix
	c.Columns = append([]string(nil), ix.Columns...)
	s.h.indexes[k] = put(vs, s.pos, &c)
	return &c
}

// putIndex records an index under its key and its table.
func (s *State) putIndex(k string, ix *Index) {
	s.h.indexes[k] = put(s.h.indexes[k], s.pos, ix)
	m := s.h.tableIndexes[ix.Table]
	if m == nil {
		m = map[string]bool{}
		s.h.tableIndexes[ix.Table] = m
	}
	m[k] = true
}

// dropIndex forgets an index.
func (s *State) dropIndex(k string) {
	if s.getIndex(k) != nil {
		s.h.indexes[k] = put(s.h.indexes[k], s.pos, nil)
	}
}

// indexKeys lists the keys of the indexes of a table.
func (s *State) indexKeys(tableKey string) []string {
	var out []string
	for k := range s.h.tableIndexes[tableKey] {
		if ix := s.getIndex(k); ix != nil && ix.Table == tableKey {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func (s *State) getEnum(k string) *Enum {
	e, _ := at(s.h.enums[k], s.limit())
	return e
}

func (s *State) mutEnum(k string) *Enum {
	vs := s.h.enums[k]
	if n := len(vs); n > 0 && vs[n-1].seq == s.pos {
		return vs[n-1].val
	}
	e := s.getEnum(k)
	if e == nil {
		return nil
	}
	c := *e
	c.Values = append([]string(nil), e.Values...)
	s.h.enums[k] = put(vs, s.pos, &c)
	return &c
}

func (s *State) setEnum(k string, e *Enum) { s.h.enums[k] = put(s.h.enums[k], s.pos, e) }

func (s *State) addUnknown(o Origin) {
	s.h.unknown = append(s.h.unknown, version[Origin]{seq: s.pos, val: o})
}

// Unknown lists the statements before this position that could not be
// applied (dynamic or unparsable) and may have changed the schema.
func (s *State) Unknown() []Origin {
	defer s.rlock()()
	var out []Origin
	for _, u := range s.h.unknown {
		if u.seq < s.limit() {
			out = append(out, u.val)
		}
	}
	return out
}

// unknownSince reports whether a statement lockwise could not apply ran
// at or after position seq and before this state.
func (s *State) unknownSince(seq int) bool {
	defer s.rlock()()
	u := s.h.unknown
	i := sort.Search(len(u), func(i int) bool { return u[i].seq >= seq })
	return i < len(u) && u[i].seq < s.limit()
}

// Table returns a table by schema ("" = public) and name.
func (s *State) Table(schema, name string) *Table {
	defer s.rlock()()
	return s.getTable(key(schema, name))
}

// Tables lists the tables, by name.
func (s *State) Tables() []*Table {
	defer s.rlock()()
	return s.tables()
}

func (s *State) tables() []*Table {
	var out []*Table
	for k := range s.h.tables {
		if t := s.getTable(k); t != nil {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return key(out[i].Schema, out[i].Name) < key(out[j].Schema, out[j].Name) })
	return out
}

// Index returns an index by schema and name.
func (s *State) Index(schema, name string) *Index {
	defer s.rlock()()
	return s.getIndex(key(schema, name))
}

// IndexesOf lists the indexes of a table, by name.
func (s *State) IndexesOf(schema, table string) []*Index {
	defer s.rlock()()
	var out []*Index
	for _, k := range s.indexKeys(key(schema, table)) {
		out = append(out, s.getIndex(k))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Enum returns an enum type.
func (s *State) Enum(schema, name string) *Enum {
	defer s.rlock()()
	return s.getEnum(key(schema, name))
}

// clone copies a table version for the migration at a new position. The
// columns and constraints are shared, not copied: replay copies one before
// changing it (ownColumn, ownConstraint), so that a version never changes
// once a later one exists, and a replay allocates only what it changes.
func (t *Table) clone() *Table {
	nt := *t
	nt.Columns = append([]*Column(nil), t.Columns...)
	nt.Constraints = append([]*Constraint(nil), t.Constraints...)
	return &nt
}

// ownColumn returns the column of t (a version written at this position)
// named name, for writing: copied first when an older version shares it.
func (s *State) ownColumn(t *Table, name string) *Column {
	for i, c := range t.Columns {
		if c.Name == name {
			if c.ver != s.pos {
				cc := *c
				cc.ver = s.pos
				t.Columns[i] = &cc
			}
			return t.Columns[i]
		}
	}
	return nil
}

// ownConstraint returns constraint i of t for writing (see ownColumn).
func (s *State) ownConstraint(t *Table, i int) *Constraint {
	if c := t.Constraints[i]; c.ver != s.pos {
		cc := *c
		cc.Columns = append([]string(nil), c.Columns...)
		cc.ver = s.pos
		t.Constraints[i] = &cc
	}
	return t.Constraints[i]
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
