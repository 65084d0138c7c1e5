package locks

import (
	"fmt"
	"strings"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// Session follows the statements of one migration run (one direction of
// one migration) in order, because what a statement does depends on what
// came before: tables created earlier are new and empty, locks taken
// earlier in the transaction are still held, an enum value added in the
// transaction cannot be used yet, a SET lock_timeout applies from then on.
// A Session is not safe for concurrent use.
type Session struct {
	ctx  Context
	inTx bool
	// lockTimeout is the lock_timeout state: the session-wide value and a
	// SET LOCAL override that lasts until the end of the transaction.
	lockTimeout      bool
	localLockTimeout *bool
	// newTables are the tables created by this migration (keyed by key()).
	newTables map[string]bool
	// filledTables are the new tables this migration wrote rows into.
	filledTables map[string]bool
	// emptiedTables are the existing tables TRUNCATE (or DELETE without
	// WHERE) emptied earlier in the transaction: no other session can write
	// rows into them before COMMIT, so they hold no row until this one
	// writes some (transaction-scoped).
	emptiedTables map[string]bool
	// nullColumns are columns added without a default by this migration
	// to an existing table: every existing row holds NULL there until an
	// UPDATE of the table may have filled them.
	nullColumns map[string]bool
	// newIndexes maps the indexes created by this migration to their table.
	newIndexes map[string]pgsql.QName
	// columnTypes overlays the Schema with the column types this migration
	// set (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE).
	columnTypes map[string]pgsql.TypeName
	// constraints are the constraints added by this migration, by
	// key(schema, table, name).
	constraints map[string]*constraintState
	// notNullChecks are the columns with a validated CHECK (col IS NOT
	// NULL) added by this migration, by key(schema, table, column).
	notNullChecks map[string]bool
	// Transaction-scoped state, reset at COMMIT/ROLLBACK.
	held         map[string]Mode            // relation key -> strongest lock held
	heldExisting map[string]Mode            // the same, for relations that existed before the migration
	enumAdded    map[string]map[string]bool // type key -> values added in the transaction
	typesCreated map[string]bool            // enum types created in the transaction
}

// constraintState is what the session remembers of a constraint it saw
// being added.
type constraintState struct {
	kind          pgsql.ConstraintKind
	references    pgsql.QName
	notNullColumn string
	// notValidInTx is true while the constraint was added NOT VALID in the
	// still-open transaction.
	notValidInTx bool
}

// NewSession starts following a migration run in the given context.
func NewSession(ctx Context) *Session {
	return &Session{
		ctx:           ctx,
		inTx:          ctx.InTransaction,
		lockTimeout:   ctx.LockTimeout,
		newTables:     map[string]bool{},
		filledTables:  map[string]bool{},
		emptiedTables: map[string]bool{},
		nullColumns:   map[string]bool{},
		newIndexes:    map[string]pgsql.QName{},
		columnTypes:   map[string]pgsql.TypeName{},
		constraints:   map[string]*constraintState{},
		notNullChecks: map[string]bool{},
		held:          map[string]Mode{},
		heldExisting:  map[string]Mode{},
		enumAdded:     map[string]map[string]bool{},
		typesCreated:  map[string]bool{},
	}
}

// Of returns the facts of one statement run on its own in ctx.
func Of(stmt pgsql.Stmt, ctx Context) Facts {
	return NewSession(ctx).Apply(stmt, Hints{})
}

// Apply returns the facts of the next statement of the migration and
// records what it changes for the statements that follow.
func (s *Session) Apply(stmt pgsql.Stmt, hints Hints) Facts {
	b := &builder{s: s, hints: hints}
	switch {
	case stmt.Err != nil:
		b.parseError(stmt.Err)
	case stmt.Desc != nil:
		b.f.Statement = stmt.Desc.Kind()
		b.describe(stmt.Desc)
	}
	if stmt.Dynamic {
		b.unknown("part of the statement is built at run time (interpolation): names and values there are not known")
	}
	b.checkEnumUse(stmt.Literals)
	b.finish()
	for _, fn := range b.effects {
		fn()
	}
	if b.f.Unknown || mayRunCode(stmt.Desc) {
		s.Unseen()
	}
	if s.inTx && (b.f.Fails == nil || b.f.Fails.Condition != "") {
		for _, l := range b.f.Locks {
			k := b.lockKey(l)
			s.held[k] = max(s.held[k], l.Mode)
			if !l.New && blocksTraffic(l.Kind) {
				s.heldExisting[k] = max(s.heldExisting[k], l.Mode)
			}
		}
	}
	return b.f
}

// builder accumulates the facts of one statement.
type builder struct {
	s     *Session
	hints Hints
	f     Facts
	// table is the main table (Facts.Table) as a name.
	table pgsql.QName
	// work says what the statement does while it holds its locks, for the
	// explanation ("rewrites the table and rebuilds its indexes").
	work []string
	// effects change the session after the facts are computed, so that a
	// statement is judged on the state before it.
	effects []func()
	// unnamedIndexLocks is set when some indexes of the main table are
	// locked ACCESS EXCLUSIVE but not known by name (see Lock.AtLeast).
	unnamedIndexLocks bool
}

// version is the PostgreSQL major version in effect.
func (b *builder) version() int { return b.s.ctx.version() }

// setTable sets the main table of the statement.
func (b *builder) setTable(q pgsql.QName) {
	b.table = q
	b.f.Table = q.String()
	if q.Dynamic {
		b.unknown("the table name is built at run time")
	}
}

// lock records a lock; a second lock on the same object keeps the
// strongest mode.
func (b *builder) lock(rel pgsql.QName, kind RelKind, mode Mode, created bool) {
	if rel.IsZero() || mode == None {
		return
	}
	name := rel.String()
	for i, l := range b.f.Locks {
		if l.Relation == name && l.Kind == kind && l.Created == created {
			b.f.Locks[i].Mode = max(l.Mode, mode)
			return
		}
	}
	b.f.Locks = append(b.f.Locks, Lock{Relation: name, Kind: kind, Mode: mode, Created: created})
}

// lockTable locks the main table.
func (b *builder) lockTable(mode Mode) { b.lock(b.table, KindTable, mode, false) }

// note adds a remark to the facts, once.
func (b *builder) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	for _, old := range b.f.Notes {
		if old == n {
			return
		}
	}
	b.f.Notes = append(b.f.Notes, n)
}

// unknown marks the statement as not (fully) analysed, with the reason.
func (b *builder) unknown(format string, args ...any) {
	b.f.Unknown = true
	b.note(format, args...)
}

// fail records a failure; an unconditional one replaces a conditional one.
func (b *builder) fail(code, message, condition string) {
	if b.f.Fails != nil && (b.f.Fails.Condition == "" || condition != "") {
		return
	}
	b.f.Fails = &Failure{Code: code, Message: message, Condition: condition}
}

// failInTransaction records the 25001 error of statements PostgreSQL
// refuses to run in a transaction block, and reports whether it applies.
func (b *builder) failInTransaction(what string) bool {
	if !b.s.inTx {
		return false
	}
	b.fail("25001", what+" cannot run inside a transaction block",
		"")
	b.note("the migration runs in a transaction: set @disable_ddl_transaction true (and @disable_migration_lock true) to run it")
	return true
}

// scan says the statement reads the whole main table, and why.
func (b *builder) scan(why string) {
	b.f.Scans = true
	b.doing(why)
}

// rewrite says the statement writes a new copy of the main table.
func (b *builder) rewrite(why string) {
	b.f.Rewrites = true
	b.f.Scans = true
	b.note("%s", why)
	b.doing("rewrites the table and rebuilds its indexes")
	b.lock(b.table, KindAllIndexes, AccessExclusive, false)
}

// doing adds a phrase to the work description, once.
func (b *builder) doing(phrase string) {
	for _, w := range b.work {
		if w == phrase {
			return
		}
	}
	b.work = append(b.work, phrase)
}

// after queues a change of session state for after the facts are final.
func (b *builder) after(fn func()) { b.effects = append(b.effects, fn) }

// lockKey is the session key of a lock's relation.
func (b *builder) lockKey(l Lock) string {
	name := l.Relation
	if l.Kind == KindAllIndexes {
		name += "/indexes"
	}
	return relKey(name)
}

// relKey turns a displayed relation name into a session key: public is
// the default schema.
func relKey(name string) string {
	if strings.Contains(name, ".") {
		return name
	}
	return "public." + name
}

// qkey is the session key of a name.
func qkey(q pgsql.QName) string { return key(q.Schema, q.Name) }

// isNewTable reports whether a table was created by this migration or is
// known to be new.
func (s *Session) isNewTable(q pgsql.QName) bool {
	if q.IsZero() || q.Dynamic {
		return false
	}
	if s.newTables[qkey(q)] {
		return true
	}
	return s.ctx.Schema != nil && s.ctx.Schema.TableIsNew(q.Schema, q.Name)
}

// indexTable finds the table of an index: from the hints, the indexes
// created by this migration, or the Schema.
func (b *builder) indexTable(index pgsql.QName) (pgsql.QName, bool) {
	if !b.hints.Table.IsZero() {
		return b.hints.Table, true
	}
	if t, ok := b.s.newIndexes[qkey(index)]; ok {
		return t, true
	}
	if sc := b.s.ctx.Schema; sc != nil {
		if t, ok := sc.IndexTable(index.Schema, index.Name); ok {
			return pgsql.QName{Schema: index.Schema, Name: t}, true
		}
	}
	return pgsql.QName{}, false
}

// endTransaction resets the transaction-scoped state at COMMIT/ROLLBACK.
func (s *Session) endTransaction() {
	s.inTx = false
	s.localLockTimeout = nil
	s.held = map[string]Mode{}
	s.heldExisting = map[string]Mode{}
	s.enumAdded = map[string]map[string]bool{}
	s.typesCreated = map[string]bool{}
	s.emptiedTables = map[string]bool{}
	for _, c := range s.constraints {
		c.notValidInTx = false
	}
}

// parseError handles a statement pg_query could not parse.
func (b *builder) parseError(e *pgsql.Error) {
	if e.Code == "0A000" {
		// The grammar rejects it: so does the server, before running it.
		b.fail(e.Code, e.Message, "")
		return
	}
	b.unknown("the SQL could not be parsed (%s): it is not analysed", e.Message)
}

// describe dispatches on the statement kind.
func (b *builder) describe(d pgsql.Description) {
	switch d := d.(type) {
	case *pgsql.AlterTable:
		b.alterTable(d)
	case *pgsql.CreateTable:
		b.createTable(d)
	case *pgsql.CreateIndex:
		b.createIndex(d)
	case *pgsql.Drop:
		b.drop(d)
	case *pgsql.Rename:
		b.rename(d)
	case *pgsql.Reindex:
		b.reindex(d)
	case *pgsql.AlterEnum:
		b.alterEnum(d)
	case *pgsql.CreateType:
		b.createType(d)
	case *pgsql.CreateTrigger:
		b.createTrigger(d)
	case *pgsql.CreateFunction:
		b.note("creating or replacing a function takes no table lock; a replaced function is used by other sessions once this commits")
	case *pgsql.Do:
		b.unknown("DO block: the statements it runs are not analysed")
	case *pgsql.Comment:
		b.comment(d)
	case *pgsql.DML:
		b.dml(d)
	case *pgsql.Select:
		b.selectStmt(d)
	case *pgsql.Truncate:
		b.truncate(d)
	case *pgsql.Vacuum:
		b.vacuum(d)
	case *pgsql.Cluster:
		b.cluster(d)
	case *pgsql.LockTable:
		b.lockStmt(d)
	case *pgsql.CreateView:
		b.createView(d)
	case *pgsql.RefreshMatView:
		b.refreshMatView(d)
	case *pgsql.CreateExtension:
		b.note("CREATE EXTENSION runs the extension's install script, whose locks are not analysed")
	case *pgsql.CreateSequence:
		b.lock(d.Sequence, KindSequence, AccessExclusive, true)
		b.lock(schemaOf(d.Sequence), KindSchema, AccessShare, false)
	case *pgsql.Grant:
		b.note("GRANT/REVOKE only updates the catalog: no table lock")
	case *pgsql.Set:
		b.set(d)
	case *pgsql.Transaction:
		b.transaction(d)
	case *pgsql.Other:
		b.unknown("%s is not modelled: its locks are not known", d.Node)
	}
}

// schemaOf names the schema an object is created in: the one written,
// else public (the model does not know the search_path).
func schemaOf(q pgsql.QName) pgsql.QName {
	if q.Schema != "" {
		return pgsql.QName{Name: q.Schema}
	}
	return pgsql.QName{Name: "public"}
}

// Unseen tells the session that code it cannot see ran in the migration
// (Elixir that calls repo(), a statement it could not read, a function or
// DO block): it may have written rows, so what the session knew about the
// rows of tables (emptied, columns still NULL everywhere) is forgotten.
func (s *Session) Unseen() {
	clear(s.emptiedTables)
	clear(s.nullColumns)
}

// mayRunCode reports whether a statement runs code that may write rows the
// statement does not name: a DO block, or functions called by a SELECT.
func mayRunCode(d pgsql.Description) bool {
	switch d := d.(type) {
	case *pgsql.Do:
		return true
	case *pgsql.Select:
		return len(d.Calls) > 0
	}
	return false
}
