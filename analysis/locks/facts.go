package locks

import "github.com/lockwise/lockwise/analysis/pgsql"

// RelKind is the kind of object a Lock is on.
type RelKind string

const (
	KindTable            RelKind = "table"
	KindIndex            RelKind = "index"
	KindSequence         RelKind = "sequence"
	KindView             RelKind = "view"
	KindMaterializedView RelKind = "materialized view"
	KindType             RelKind = "type"
	KindSchema           RelKind = "schema"
	// KindAllIndexes stands for every index of the table named in
	// Relation, whose names the model does not know (a rewrite rebuilds
	// them all; a validation query opens them all).
	KindAllIndexes RelKind = "all indexes of"
)

// Lock is one lock a statement takes.
type Lock struct {
	// Relation is the object's name as the SQL writes it ("t",
	// "audit.events"); for KindAllIndexes the table whose indexes they are.
	// Objects renamed by the statement keep their old name.
	Relation string
	Kind     RelKind
	Mode     Mode
	// Created is true when the statement creates the object.
	Created bool
	// New is true when the object did not exist before this migration
	// (Created, or created by an earlier statement, or known to be new from
	// the Schema): no other session can be waiting on it.
	New bool
	// AtLeast is true when Mode is a lower bound: some of the objects are
	// locked more strongly for a reason the model cannot see. The indexes
	// of a column whose type changes are dropped and built again under
	// ACCESS EXCLUSIVE; when they are not known, "all indexes of" a table
	// may include such an index.
	AtLeast bool
}

// Failure is a runtime error PostgreSQL raises for a statement.
type Failure struct {
	// Code is the SQLSTATE ("25001"), "" when not known.
	Code    string
	Message string
	// Condition is empty when the statement always fails in this context,
	// otherwise when it fails: "if the table has any row".
	Condition string
}

// Facts is what running one statement does to the database.
type Facts struct {
	// Statement is the kind of statement ("alter table"...).
	Statement pgsql.Kind
	// Table is the main table of the statement, as written in the SQL
	// (schema-qualified when the SQL qualifies it): the table altered,
	// indexed, created, dropped, written... "" when there is none (ALTER
	// TYPE) or it is not known (DROP INDEX of an index whose table is not
	// known).
	Table string
	// TableNew is true when Table was created earlier in this migration, or
	// is known to be new: it has no rows and nobody uses it, so locks,
	// scans and rewrites on it do not matter.
	TableNew bool
	// Mode is the strongest lock this statement takes on Table.
	Mode Mode
	// Held is the strongest lock the transaction already held on Table
	// before this statement (taken by an earlier statement of the same
	// transaction and kept until COMMIT); None outside a transaction.
	Held Mode
	// Locks are all the locks the statement takes, as far as the SQL shows
	// them (see Notes for catalog-dependent ones).
	Locks []Lock
	// BlocksReads and BlocksWrites are true when, while the statement runs,
	// plain SELECTs or INSERT/UPDATE/DELETE on a table that existed before
	// the migration have to wait: for its own locks or for those its
	// transaction already holds.
	BlocksReads, BlocksWrites bool
	// Scans is true when the statement reads every row of an existing
	// table: verification scan, index build, foreign key validation,
	// rewrite. Rewrites is true when it writes a new copy of the table (and
	// rebuilds its indexes).
	Scans, Rewrites bool
	// MayScan and MayRewrite are true when the statement scans or rewrites
	// under a condition the model cannot check (old column type unknown,
	// function of unknown volatility, indexes on a column unknown); Notes
	// say which. They are false when Scans/Rewrites are true.
	MayScan, MayRewrite bool
	// LosesData is true when the statement destroys data of an existing
	// table (DROP TABLE, DROP COLUMN, TRUNCATE).
	LosesData bool
	// BreaksApp is true when code that is already running against the
	// database breaks once the statement commits (a renamed or dropped
	// table or column, a renamed enum value).
	BreaksApp bool
	// ValidateSameTx is true for VALIDATE CONSTRAINT of a constraint added
	// NOT VALID earlier in the same transaction: the lock the ADD took is
	// still held during the validation scan.
	ValidateSameTx bool
	// LockTimeout is true when a lock_timeout is in force for the statement
	// (Context.LockTimeout or an earlier SET).
	LockTimeout bool
	// Fails is set when PostgreSQL raises an error for the statement (see
	// Failure.Condition).
	Fails *Failure
	// Unknown is true when the model cannot analyse the statement, or
	// part of it: unparsable SQL, names or values built at run time, a
	// statement kind it does not model, a DO block. Notes say what.
	Unknown bool
	// Notes are version- and context-dependent remarks, one sentence each.
	Notes []string
	// Explanation is a one-line summary for hovers: which lock on what,
	// what waits, for how long.
	Explanation string
}

// Lock returns the strongest mode the statement takes on the named
// relation (a table, index, view, sequence or type), None if none.
func (f *Facts) Lock(relation string) Mode {
	m := None
	for _, l := range f.Locks {
		if l.Relation == relation && l.Kind != KindAllIndexes && l.Mode > m {
			m = l.Mode
		}
	}
	return m
}
