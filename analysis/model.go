package analysis

import (
	"strings"
	"sync"

	"github.com/lockwise/lockwise/grammar"
)

// Direction of a migration run.
type Direction int

const (
	Up Direction = iota
	Down
)

func (d Direction) String() string {
	if d == Down {
		return "down"
	}
	return "up"
}

// OpKind is the kind of an Ecto migration command (or of a statement run
// directly through the repo).
type OpKind int

const (
	OpUnknown OpKind = iota
	OpCreateTable
	OpCreateTableIfNotExists
	OpAlterTable
	OpDropTable
	OpDropTableIfExists
	OpCreateIndex
	OpCreateIndexIfNotExists
	OpDropIndex
	OpDropIndexIfExists
	OpCreateConstraint
	OpDropConstraint
	OpDropConstraintIfExists
	OpRenameTable
	OpRenameColumn
	OpRenameIndex
	OpExecute   // execute "SQL" / execute(up, down) / execute_file
	OpExecuteFn // execute(fn -> ... end): code run at flush time
	OpRepo      // repo().query!(...), Repo.update_all(...): run immediately, not queued
)

var opKindNames = [...]string{"unknown", "create_table", "create_table_if_not_exists", "alter_table", "drop_table",
	"drop_table_if_exists", "create_index", "create_index_if_not_exists", "drop_index", "drop_index_if_exists",
	"create_constraint", "drop_constraint", "drop_constraint_if_exists", "rename_table", "rename_column",
	"rename_index", "execute", "execute_fn", "repo"}

func (k OpKind) String() string {
	if int(k) < len(opKindNames) {
		return opKindNames[k]
	}
	return "unknown"
}

// Migration is the model of one migration file.
type Migration struct {
	Path    string
	Version string // the leading digits of the file name, "" when absent
	File    *grammar.File
	Lines   *grammar.Lines

	// Module is the migration module (the first module that uses
	// Ecto.Migration); "" when the file holds none.
	Module      string
	ModuleRange grammar.Range
	// UsesModule is the module named in `use` (Ecto.Migration or a project wrapper).
	UsesModule string

	// Transaction is true unless @disable_ddl_transaction true.
	Transaction bool
	// MigrationLock is true unless @disable_migration_lock true (the repo
	// config can still disable or change it: see Config).
	MigrationLock bool
	// Attrs are the module attributes set in the migration module, in order.
	Attrs []*Attr

	Callbacks map[string]*Callback // "change", "up", "down", "after_begin", "before_commit"

	Up   Plan
	Down Plan

	// Problems are things Ecto would reject or lockwise could not follow.
	Problems []Problem

	// Holes are the placeholders standing for values not known statically,
	// with the Elixir source each stands for.
	Holes     map[string]Hole
	holeCount int
}

// Display writes the placeholders of s as the Elixir they stand for.
func (m *Migration) Display(s string) string {
	if !strings.Contains(s, placeholderPrefix) {
		return s
	}
	for ph, h := range m.Holes {
		s = strings.ReplaceAll(s, ph, "#{"+h.Source+"}")
	}
	return s
}

// Attr is one `@name value` in the migration module.
type Attr struct {
	Name       string
	Value      Value
	Start, End int
}

// Callback is a migration callback defined in the module.
type Callback struct {
	Name       string
	Start, End int // the whole def
	NameStart  int // the function name, for hover and symbols
	NameEnd    int
	Body       *grammar.Node
	fn         *funcDef // its parameters have defaults when it has any
}

// Plan is what one direction does: the operations in the order Ecto runs
// them.
type Plan struct {
	Ops []*Op
	// Irreversible is set when this direction raises instead of running
	// (rollback of a change/0 Ecto cannot reverse, or no down at all).
	Irreversible *Irreversible
	// Source is the callback the plan comes from ("change", "up", "down").
	Source string
	// Reversed tells that the plan was computed by reversing change/0.
	Reversed bool
}

// Irreversible explains why a direction cannot run.
type Irreversible struct {
	Reason     string
	Start, End int // the command that cannot be reversed, when there is one
}

// Problem is a message about the file that is not a rule finding: a
// construct Ecto rejects, or one lockwise cannot follow statically.
type Problem struct {
	Kind       ProblemKind
	Start, End int
	Message    string
	// Direction is the plan the problem was met in (a problem only in
	// down/0 breaks only the rollback).
	Direction Direction
}

// ProblemKind tells what a Problem is about.
type ProblemKind int

const (
	// Rejected: Ecto (or the compiler) raises on this construct.
	Rejected ProblemKind = iota
	// Unfollowed: lockwise cannot follow this code statically; what it
	// does to the database is not analysed.
	Unfollowed
	// Note: worth knowing, neither of the above.
	Note
)

// Op is one Ecto command or one direct repo call.
type Op struct {
	Kind       OpKind
	Start, End int // the command in the file (e.g. the whole `create table ... end`)
	// Callback the op was written in ("change", "up", "after_begin", a helper...).
	Callback string
	// Via lists the call sites of the helper functions the op was reached through.
	Via []grammar.Range

	Table      *TableRef       // the table the op acts on
	NewTable   *TableRef       // rename table
	Index      *IndexSpec      // index ops
	Constraint *ConstraintSpec // constraint ops
	TableSpec  *TableSpec      // create/alter/drop table options
	Subs       []*Sub          // create/alter table sub-commands, in order
	Mode       string          // "cascade" for drop ..., mode: :cascade
	OldColumn  string          // rename column
	NewColumn  string
	NewName    string // rename index

	// Execute and repo calls.
	Exec *Exec

	// Queries are the SQL queries Ecto sends for this op, in order.
	Queries []*Query

	// Dynamic is set when part of the op cannot be known from the file.
	Dynamic bool
	Reasons []string // why the op is dynamic, or conditional/repeated
	// Repeated marks ops inside a loop (unrolled when the list is static).
	Repeated bool
	// Conditional marks ops inside if/case/cond/unless.
	Conditional bool
	// Reversed marks ops computed by reversing a change/0 command.
	Reversed bool
}

// TableRef names a table with its prefix (schema).
type TableRef struct {
	Name    string
	Prefix  string
	Dynamic bool
}

// QualifiedName is prefix.name, or name.
func (t *TableRef) QualifiedName() string {
	if t == nil {
		return ""
	}
	if t.Prefix != "" {
		return t.Prefix + "." + t.Name
	}
	return t.Name
}

// TableSpec is the value of table(name, opts).
type TableSpec struct {
	Ref        TableRef
	PrimaryKey Value // true (default), false, or a keyword list
	Comment    *Value
	Options    *Value
	Start, End int
}

// SubKind is the kind of a table sub-command.
type SubKind int

const (
	SubAdd SubKind = iota
	SubAddIfNotExists
	SubModify
	SubRemove
	SubRemoveIfExists
)

var subKindNames = [...]string{"add", "add_if_not_exists", "modify", "remove", "remove_if_exists"}

func (k SubKind) String() string { return subKindNames[k] }

// Sub is one add/modify/remove inside create or alter table.
type Sub struct {
	Kind       SubKind
	Column     string
	Type       *Value // nil for remove/1 and remove_if_exists/1
	Opts       Value  // keyword list (possibly empty)
	Start, End int    // the call in the file
	// Timestamps is set for the columns added by timestamps().
	Timestamps bool
	// PrimaryKey is set for the default primary key column of create table.
	PrimaryKey bool
	Dynamic    bool
}

// Opt returns the value of a keyword option of the sub-command.
func (s *Sub) Opt(key string) (Value, bool) { return s.Opts.Get(key) }

// Ref returns the reference when the sub-command's type is references(...).
func (s *Sub) Ref() *RefSpec {
	if s.Type != nil && s.Type.Kind == VRef {
		return s.Type.Ref
	}
	return nil
}

// IndexSpec is the value of index(table, columns, opts).
type IndexSpec struct {
	Table         TableRef
	Name          string
	NameDynamic   bool
	Columns       []Value
	Unique        bool
	Concurrently  bool
	Using         string
	Include       []Value
	Only          bool
	NullsDistinct *bool
	Where         string
	Comment       *string
	Options       *string
	Dynamic       bool
	Start, End    int
}

// RefSpec is the value of references(table, opts).
type RefSpec struct {
	Table    string
	Prefix   *string // references(prefix: ...); nil when not given
	Column   string
	Type     Value
	Name     string
	OnDelete Value
	OnUpdate Value
	Validate bool
	With     [][2]string
	Match    string
	Dynamic  bool
}

// ConstraintSpec is the value of constraint(table, name, opts).
type ConstraintSpec struct {
	Table    TableRef
	Name     string
	Check    *string
	Exclude  *string
	Validate bool
	Comment  *string
	Dynamic  bool
}

// Exec describes an execute call or a repo call.
type Exec struct {
	// Up and Down are the SQL sources of execute(up, down); Down is nil for execute/1.
	Up, Down *SQLSource
	// HasDown tells execute/2 from execute/1.
	HasDown bool
	// FnValue and DownFn are set for execute(fn) and execute(&fun/0).
	FnValue, DownFn *fnValue
	// RepoCall is the repo function for OpRepo ("query!", "update_all", ...).
	RepoCall string
	// DataChange marks repo calls that write rows (insert/update/delete...).
	DataChange bool
}

// SQLSource is a SQL string written (or built) in the file.
type SQLSource struct {
	Text   string // the SQL, with placeholders for the holes
	Holes  []Hole
	Node   *grammar.Node
	Static bool // no interpolation and not built at run time
	Known  bool // the text is known at all (false for variables, function results)
	// Decoded maps Text back into the file when Mapped is set.
	Decoded grammar.Decoded
	Mapped  bool
}

// Hole is a dynamic part of a query: the placeholder that stands in the SQL
// for an Elixir expression.
type Hole struct {
	Placeholder string
	Source      string
}

// Query is one query Ecto sends to the server.
type Query struct {
	SQL string
	// Start/End locate the query in the file: the command for DSL ops, the
	// string contents for execute.
	Start, End int
	Dynamic    bool
	Holes      []Hole
	// Source maps offsets of SQL back into the file for queries written in
	// the file (execute strings); nil for SQL lowered from the DSL.
	Source *SQLSource
	// Sub is the index of the sub-command in Op.Subs this query belongs
	// to, or -1 when it belongs to the whole op.
	Sub int

	// dsl is set by lower for SQL lowered from a DSL command: Statements
	// then builds the descriptions from the command instead of parsing the
	// SQL again (describe_dsl.go). nil for SQL written in the file.
	dsl *dslOrigin

	stmtsOnce sync.Once
	stmts     []*Statement
}

// Display is the query with dynamic placeholders shown as the Elixir
// interpolation they stand for.
func (q *Query) Display() string {
	s := q.SQL
	for _, h := range q.Holes {
		s = replaceAll(s, h.Placeholder, "#{"+h.Source+"}")
	}
	return s
}
