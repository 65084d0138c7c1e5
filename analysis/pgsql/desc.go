package pgsql

// Kind is the kind of a statement, as a short lower-case phrase usable in
// messages ("create index", "alter table").
type Kind string

// Statement kinds. Each has its own Description type, named in the comment.
const (
	KindCreateTable     Kind = "create table"              // *CreateTable
	KindAlterTable      Kind = "alter table"               // *AlterTable (also ALTER INDEX/VIEW/SEQUENCE ... SET/OWNER...)
	KindDrop            Kind = "drop"                      // *Drop
	KindRename          Kind = "rename"                    // *Rename
	KindCreateIndex     Kind = "create index"              // *CreateIndex
	KindReindex         Kind = "reindex"                   // *Reindex
	KindAlterEnum       Kind = "alter type"                // *AlterEnum (ADD VALUE / RENAME VALUE)
	KindCreateType      Kind = "create type"               // *CreateType
	KindCreateTrigger   Kind = "create trigger"            // *CreateTrigger
	KindCreateFunction  Kind = "create function"           // *CreateFunction
	KindDo              Kind = "do"                        // *Do
	KindComment         Kind = "comment"                   // *Comment
	KindInsert          Kind = "insert"                    // *DML
	KindUpdate          Kind = "update"                    // *DML
	KindDelete          Kind = "delete"                    // *DML
	KindMerge           Kind = "merge"                     // *DML
	KindSelect          Kind = "select"                    // *Select
	KindTruncate        Kind = "truncate"                  // *Truncate
	KindVacuum          Kind = "vacuum"                    // *Vacuum
	KindAnalyze         Kind = "analyze"                   // *Vacuum
	KindCluster         Kind = "cluster"                   // *Cluster
	KindLockTable       Kind = "lock table"                // *LockTable
	KindCreateView      Kind = "create view"               // *CreateView (also materialized)
	KindRefreshMatView  Kind = "refresh materialized view" // *RefreshMatView
	KindCreateExtension Kind = "create extension"          // *CreateExtension
	KindCreateSequence  Kind = "create sequence"           // *CreateSequence
	KindGrant           Kind = "grant"                     // *Grant (also REVOKE)
	KindSet             Kind = "set"                       // *Set (also RESET)
	KindTransaction     Kind = "transaction"               // *Transaction
	KindOther           Kind = "other"                     // *Other
)

// Description is the plain description of one statement. The concrete type
// depends on Kind(); a type switch is the intended way to read it.
type Description interface {
	Kind() Kind
}

// ObjectKind is the kind of object a DROP, RENAME, COMMENT, GRANT or
// ALTER ... statement is about: "table", "index", "column", "constraint",
// "materialized view", "type", "trigger", "function"... (pg_query's
// ObjectType in lower case with spaces).
type ObjectKind string

// The object kinds the lock model looks at; other values occur.
const (
	ObjectTable            ObjectKind = "table"
	ObjectIndex            ObjectKind = "index"
	ObjectColumn           ObjectKind = "column"
	ObjectConstraint       ObjectKind = "constraint"
	ObjectView             ObjectKind = "view"
	ObjectMaterializedView ObjectKind = "materialized view"
	ObjectSequence         ObjectKind = "sequence"
	ObjectType             ObjectKind = "type"
	ObjectDomain           ObjectKind = "domain"
	ObjectTrigger          ObjectKind = "trigger"
	ObjectFunction         ObjectKind = "function"
	ObjectProcedure        ObjectKind = "procedure"
	ObjectSchema           ObjectKind = "schema"
	ObjectExtension        ObjectKind = "extension"
	ObjectForeignTable     ObjectKind = "foreign table"
	ObjectDatabase         ObjectKind = "database"
	ObjectSystem           ObjectKind = "system"
)

// Literal is a string constant found in a statement, with the type it is
// cast to when written as 'value'::type (zero TypeName otherwise).
type Literal struct {
	Value string
	Cast  TypeName
}

// Column is a column definition (CREATE TABLE, ADD COLUMN).
type Column struct {
	Name string
	// Type is the declared type; serial types stay serial (see
	// TypeName.IsSerial) since they mean more than a type.
	Type TypeName
	// NotNull and Null are the explicit NOT NULL / NULL clauses.
	NotNull, Null bool
	// Default is the DEFAULT expression, nil when absent. DEFAULT NULL is
	// present, with Default.Null set.
	Default *Expr
	// Identity is "ALWAYS" or "BY DEFAULT" for an identity column, "" otherwise.
	Identity string
	// Generated is the expression of GENERATED ALWAYS AS (...) STORED.
	Generated *Expr
	// Constraints are the inline CHECK, UNIQUE, PRIMARY KEY and REFERENCES
	// clauses; their Columns is [Name].
	Constraints []Constraint
	Collation   string
	// Dynamic is true when the name holds a placeholder.
	Dynamic bool
}

// ConstraintKind is the kind of a table constraint.
type ConstraintKind string

const (
	ConstraintCheck      ConstraintKind = "check"
	ConstraintForeignKey ConstraintKind = "foreign key"
	ConstraintUnique     ConstraintKind = "unique"
	ConstraintPrimaryKey ConstraintKind = "primary key"
	ConstraintExclude    ConstraintKind = "exclude"
)

// Constraint is a table or column constraint.
type Constraint struct {
	Kind ConstraintKind
	// Name is the name given in the SQL, "" when PostgreSQL picks one.
	Name string
	// NotValid is the NOT VALID clause (skip validation of existing rows).
	NotValid bool
	// UsingIndex is the index of ADD CONSTRAINT ... UNIQUE/PRIMARY KEY
	// USING INDEX idx, "" otherwise.
	UsingIndex string
	// Columns are the constrained columns: the key of UNIQUE/PRIMARY KEY,
	// the referencing columns of a FOREIGN KEY, the column names of an
	// EXCLUDE; empty for CHECK.
	Columns []string
	// References is set for FOREIGN KEY.
	References *ForeignKey
	// Check is the CHECK condition.
	Check *Expr
	// NotNullColumn is the column when the CHECK condition is exactly
	// `col IS NOT NULL`: once validated, PostgreSQL >= 12 uses it to skip
	// the scan of SET NOT NULL.
	NotNullColumn string
	// Include are INCLUDE columns of UNIQUE/PRIMARY KEY.
	Include []string
}

// ForeignKey is the REFERENCES part of a foreign key.
type ForeignKey struct {
	Table   QName
	Columns []string
	// OnDelete and OnUpdate are "CASCADE", "SET NULL", "SET DEFAULT",
	// "RESTRICT" or "" for NO ACTION.
	OnDelete, OnUpdate string
}

// CreateTable is CREATE TABLE, CREATE TABLE ... AS and SELECT ... INTO.
type CreateTable struct {
	Table       QName
	IfNotExists bool
	Temporary   bool
	Unlogged    bool
	Columns     []Column
	// Constraints are the table constraints (PRIMARY KEY (...), CONSTRAINT
	// ... FOREIGN KEY ...).
	Constraints []Constraint
	// Like are the tables of LIKE clauses.
	Like []QName
	// Inherits are the INHERITS parents; PartitionOf the parent of
	// CREATE TABLE ... PARTITION OF (zero otherwise).
	Inherits    []QName
	PartitionOf QName
	// AsQuery is true for CREATE TABLE ... AS / SELECT INTO; Reads are the
	// relations the query reads, WithNoData its WITH NO DATA clause.
	AsQuery    bool
	Reads      []QName
	WithNoData bool
}

func (*CreateTable) Kind() Kind { return KindCreateTable }

// AlterTable is ALTER TABLE (and ALTER INDEX / VIEW / MATERIALIZED VIEW /
// SEQUENCE / FOREIGN TABLE when they take sub-commands): one statement, one
// lock acquisition, several sub-commands.
type AlterTable struct {
	Table QName
	// Object is what the statement alters: ObjectTable for ALTER TABLE,
	// ObjectIndex for ALTER INDEX...
	Object   ObjectKind
	IfExists bool
	// Only is ALTER TABLE ONLY (no recursion into children/partitions).
	Only bool
	Cmds []AlterCmd
}

func (*AlterTable) Kind() Kind { return KindAlterTable }

// AlterKind is the kind of an ALTER TABLE sub-command.
type AlterKind string

// ALTER TABLE sub-command kinds.
const (
	AlterAddColumn          AlterKind = "add column"
	AlterDropColumn         AlterKind = "drop column"
	AlterColumnType         AlterKind = "alter column type"
	AlterSetNotNull         AlterKind = "set not null"
	AlterDropNotNull        AlterKind = "drop not null"
	AlterSetDefault         AlterKind = "set default"
	AlterDropDefault        AlterKind = "drop default"
	AlterAddConstraint      AlterKind = "add constraint"
	AlterValidateConstraint AlterKind = "validate constraint"
	AlterDropConstraint     AlterKind = "drop constraint"
	AlterAlterConstraint    AlterKind = "alter constraint"
	AlterSetStatistics      AlterKind = "set statistics"
	AlterSetStorage         AlterKind = "set storage"
	AlterSetCompression     AlterKind = "set compression"
	AlterSetColumnOptions   AlterKind = "set column options"   // ALTER COLUMN c SET (n_distinct = ...)
	AlterResetColumnOptions AlterKind = "reset column options" // ALTER COLUMN c RESET (...)
	AlterSetOptions         AlterKind = "set options"          // SET (fillfactor = 70)
	AlterResetOptions       AlterKind = "reset options"        // RESET (fillfactor)
	AlterSetLogged          AlterKind = "set logged"
	AlterSetUnlogged        AlterKind = "set unlogged"
	AlterReplicaIdentity    AlterKind = "replica identity"
	AlterEnableTrigger      AlterKind = "enable trigger"
	AlterDisableTrigger     AlterKind = "disable trigger"
	AlterAttachPartition    AlterKind = "attach partition"
	AlterDetachPartition    AlterKind = "detach partition"
	AlterInherit            AlterKind = "inherit"
	AlterNoInherit          AlterKind = "no inherit"
	AlterAddIdentity        AlterKind = "add identity"
	AlterSetIdentity        AlterKind = "set identity"
	AlterDropIdentity       AlterKind = "drop identity"
	AlterDropExpression     AlterKind = "drop expression"
	AlterSetTablespace      AlterKind = "set tablespace"
	AlterSetAccessMethod    AlterKind = "set access method"
	AlterOwner              AlterKind = "owner to"
	AlterClusterOn          AlterKind = "cluster on"
	AlterSetWithoutCluster  AlterKind = "set without cluster"
	AlterRowSecurity        AlterKind = "row level security" // ENABLE/DISABLE/FORCE/NO FORCE
	AlterRule               AlterKind = "enable/disable rule"
	AlterOther              AlterKind = "other"
)

// AlterCmd is one sub-command of ALTER TABLE. Only the fields that make
// sense for its Kind are set.
type AlterCmd struct {
	Kind AlterKind
	// Column is the column the sub-command is about (ADD/DROP/ALTER COLUMN).
	Column string
	// Def is the column definition of ADD COLUMN.
	Def *Column
	// Type is the new type of ALTER COLUMN TYPE; Using its USING expression.
	Type  TypeName
	Using *Expr
	// Default is the expression of SET DEFAULT.
	Default *Expr
	// Constraint is the constraint of ADD CONSTRAINT.
	Constraint *Constraint
	// Name is the constraint of VALIDATE/DROP/ALTER CONSTRAINT, the trigger
	// of ENABLE/DISABLE TRIGGER ("ALL", "USER" for those forms), the index
	// of CLUSTER ON and REPLICA IDENTITY USING INDEX, the tablespace, the
	// access method or the new owner.
	Name string
	// IfExists / IfNotExists are the IF [NOT] EXISTS clauses; Cascade is
	// DROP ... CASCADE.
	IfExists, IfNotExists, Cascade bool
	// Options are the parameter names of SET (...) / RESET (...).
	Options []string
	// Value is the argument of SET STORAGE, SET STATISTICS, SET COMPRESSION
	// and REPLICA IDENTITY ("FULL", "DEFAULT", "NOTHING", "INDEX").
	Value string
	// Partition is the partition of ATTACH/DETACH PARTITION and the parent
	// of INHERIT/NO INHERIT; Concurrently is DETACH ... CONCURRENTLY.
	Partition    QName
	Concurrently bool
	// Subtype is pg_query's name of the sub-command ("AT_AddColumn"), for
	// messages about AlterOther.
	Subtype string
}

// CreateIndex is CREATE INDEX.
type CreateIndex struct {
	// Name is "" when PostgreSQL picks it.
	Name         string
	Table        QName
	Concurrently bool
	Unique       bool
	IfNotExists  bool
	// Only is CREATE INDEX ... ON ONLY (partitioned parent only).
	Only bool
	// Method is the access method ("btree" unless USING says otherwise).
	Method  string
	Columns []IndexElem
	Include []string
	// Where is the predicate of a partial index.
	Where            *Expr
	NullsNotDistinct bool
	Options          []string
}

func (*CreateIndex) Kind() Kind { return KindCreateIndex }

// IndexElem is one key of an index: a column or an expression.
type IndexElem struct {
	Column string
	Expr   *Expr
}

// Drop is DROP TABLE/INDEX/VIEW/TYPE/TRIGGER/FUNCTION/....
type Drop struct {
	Object ObjectKind
	Names  []QName
	// Table is the table of DROP TRIGGER/POLICY/RULE ... ON table.
	Table        QName
	IfExists     bool
	Cascade      bool
	Concurrently bool
}

func (*Drop) Kind() Kind { return KindDrop }

// Rename is ALTER ... RENAME: of a table, view, index, sequence, type
// (Target is the object), or of a column, constraint or trigger (Target is
// the table, Old the old name).
type Rename struct {
	Object   ObjectKind
	Target   QName
	Old      string
	New      string
	IfExists bool
}

func (*Rename) Kind() Kind { return KindRename }

// Reindex is REINDEX.
type Reindex struct {
	// Object is ObjectIndex, ObjectTable, ObjectSchema, ObjectDatabase or
	// ObjectSystem.
	Object       ObjectKind
	Name         QName
	Concurrently bool
}

func (*Reindex) Kind() Kind { return KindReindex }

// AlterEnum is ALTER TYPE ... ADD VALUE and ALTER TYPE ... RENAME VALUE.
type AlterEnum struct {
	Type QName
	// Value is the value added, or the new name of a renamed value.
	Value string
	// OldValue is the old name for RENAME VALUE, "" for ADD VALUE.
	OldValue    string
	IfNotExists bool
	// Before / After are the BEFORE/AFTER neighbours, "" when absent.
	Before, After string
}

func (*AlterEnum) Kind() Kind { return KindAlterEnum }

// CreateType is CREATE TYPE (enum, composite, range, base) and CREATE DOMAIN.
type CreateType struct {
	Type QName
	// As is "enum", "composite", "range", "domain" or "base".
	As     string
	Values []string // enum labels
}

func (*CreateType) Kind() Kind { return KindCreateType }

// CreateTrigger is CREATE [OR REPLACE] [CONSTRAINT] TRIGGER.
type CreateTrigger struct {
	Name       string
	Table      QName
	Replace    bool
	Constraint bool
	Function   QName
	// Timing is "BEFORE", "AFTER" or "INSTEAD OF"; Events are "INSERT",
	// "UPDATE", "DELETE", "TRUNCATE".
	Timing     string
	Events     []string
	ForEachRow bool
}

func (*CreateTrigger) Kind() Kind { return KindCreateTrigger }

// CreateFunction is CREATE [OR REPLACE] FUNCTION / PROCEDURE.
type CreateFunction struct {
	Name      QName
	Replace   bool
	Procedure bool
	Language  string
	// Body is the AS '...' / $$...$$ text, "" for SQL-standard bodies.
	Body string
}

func (*CreateFunction) Kind() Kind { return KindCreateFunction }

// Do is a DO block: PL/pgSQL (or another language) run once.
type Do struct {
	Language string
	Body     string
}

func (*Do) Kind() Kind { return KindDo }

// Comment is COMMENT ON.
type Comment struct {
	Object ObjectKind
	// Target is the object commented on; for a column or constraint, the
	// table, with the column or constraint in Sub.
	Target QName
	Sub    string
}

func (*Comment) Kind() Kind { return KindComment }

// DML is INSERT, UPDATE, DELETE or MERGE.
type DML struct {
	// Verb is "INSERT", "UPDATE", "DELETE" or "MERGE".
	Verb  string
	Table QName
	// Where is true when UPDATE/DELETE has a WHERE clause (a MERGE always
	// has its ON condition, an INSERT never filters).
	Where bool
	// Query is true for INSERT ... SELECT.
	Query bool
	// Reads are the other relations read (FROM, USING, subqueries, the
	// SELECT of an INSERT, the source of a MERGE).
	Reads []QName
}

func (d *DML) Kind() Kind {
	switch d.Verb {
	case "INSERT":
		return KindInsert
	case "UPDATE":
		return KindUpdate
	case "DELETE":
		return KindDelete
	}
	return KindMerge
}

// Select is a SELECT (or VALUES) statement.
type Select struct {
	Reads []QName
	// Calls are the function calls of the target list (SELECT
	// create_hypertable(...), SELECT set_config(...)).
	Calls []Call
	// Locking is the row-locking clause: "FOR UPDATE", "FOR NO KEY UPDATE",
	// "FOR SHARE", "FOR KEY SHARE", "" when absent.
	Locking string
}

func (*Select) Kind() Kind { return KindSelect }

// Call is a function call with its arguments.
type Call struct {
	Name QName
	Args []Arg
}

// Arg is one argument of a Call.
type Arg struct {
	// Name is the name of a named argument (migrate_data => true), "" for
	// a positional one.
	Name string
	// Value is the constant's value without quotes ("t", "true", "1"), or
	// the deparsed expression for anything else.
	Value string
	// Const is true when Value is a constant.
	Const bool
}

// Truncate is TRUNCATE.
type Truncate struct {
	Tables          []QName
	Cascade         bool
	RestartIdentity bool
}

func (*Truncate) Kind() Kind { return KindTruncate }

// Vacuum is VACUUM or ANALYZE.
type Vacuum struct {
	// IsAnalyze is true for the ANALYZE statement; VACUUM (ANALYZE) has
	// Analyze set instead.
	IsAnalyze bool
	Full      bool
	Analyze   bool
	Tables    []QName
	Options   []string
}

func (v *Vacuum) Kind() Kind {
	if v.IsAnalyze {
		return KindAnalyze
	}
	return KindVacuum
}

// Cluster is CLUSTER.
type Cluster struct {
	Table QName // zero for CLUSTER without a table
	Index string
}

func (*Cluster) Kind() Kind { return KindCluster }

// LockTable is LOCK TABLE.
type LockTable struct {
	Tables []QName
	// Mode is the lock mode in PostgreSQL's words ("SHARE UPDATE EXCLUSIVE");
	// LOCK TABLE without IN ... MODE means ACCESS EXCLUSIVE.
	Mode   string
	NoWait bool
}

func (*LockTable) Kind() Kind { return KindLockTable }

// CreateView is CREATE [OR REPLACE] [MATERIALIZED] VIEW.
type CreateView struct {
	View         QName
	Materialized bool
	Replace      bool
	IfNotExists  bool
	Reads        []QName
	WithNoData   bool
}

func (*CreateView) Kind() Kind { return KindCreateView }

// RefreshMatView is REFRESH MATERIALIZED VIEW.
type RefreshMatView struct {
	View         QName
	Concurrently bool
	WithNoData   bool
}

func (*RefreshMatView) Kind() Kind { return KindRefreshMatView }

// CreateExtension is CREATE EXTENSION.
type CreateExtension struct {
	Name        string
	IfNotExists bool
	Schema      string
}

func (*CreateExtension) Kind() Kind { return KindCreateExtension }

// CreateSequence is CREATE SEQUENCE.
type CreateSequence struct {
	Sequence    QName
	IfNotExists bool
}

func (*CreateSequence) Kind() Kind { return KindCreateSequence }

// Grant is GRANT or REVOKE of privileges on objects (role grants are Other).
type Grant struct {
	Revoke     bool
	Object     ObjectKind
	Targets    []QName
	Privileges []string // lower case, empty for ALL
	Grantees   []string
}

func (*Grant) Kind() Kind { return KindGrant }

// Set is SET, SET LOCAL and RESET of a run-time parameter.
type Set struct {
	// Name is the parameter in lower case ("lock_timeout"); "" for RESET ALL.
	Name string
	// Value is the value as written without quotes ("5s", "0"), "" for
	// RESET and SET ... TO DEFAULT.
	Value string
	// Reset is true for RESET and for SET ... TO DEFAULT.
	Reset bool
	// Local is SET LOCAL (until the end of the transaction).
	Local bool
}

func (*Set) Kind() Kind { return KindSet }

// Transaction is BEGIN, COMMIT, ROLLBACK, SAVEPOINT....
type Transaction struct {
	// Verb is "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE",
	// "ROLLBACK TO", "PREPARE TRANSACTION", "COMMIT PREPARED" or
	// "ROLLBACK PREPARED".
	Verb string
}

func (*Transaction) Kind() Kind { return KindTransaction }

// Other is any statement lockwise does not describe.
type Other struct {
	// Node is pg_query's node name ("CreateSchemaStmt").
	Node string
}

func (*Other) Kind() Kind { return KindOther }
