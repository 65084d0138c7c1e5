package locks

import (
	"strings"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// alterEnum models ALTER TYPE ... ADD VALUE / RENAME VALUE.
func (b *builder) alterEnum(ae *pgsql.AlterEnum) {
	if ae.OldValue != "" {
		b.lock(ae.Type, KindType, Exclusive, false)
		b.f.BreaksApp = true
		b.note("running code that still writes '%s' fails once this commits", ae.OldValue)
		return
	}
	// PostgreSQL < 12 refuses ADD VALUE in a transaction block, except for
	// a type created in the same transaction (typecmds.c AlterEnum: no
	// index can hold the new value's OID then).
	if b.s.inTx && b.version() < 12 && !b.s.typesCreated[qkey(ae.Type)] {
		b.fail("25001", "ALTER TYPE ... ADD cannot run inside a transaction block", "")
		b.note("PG < 12: ADD VALUE must run outside a transaction (@disable_ddl_transaction true)")
		return
	}
	b.lock(ae.Type, KindType, Exclusive, false)
	if !b.s.inTx {
		return
	}
	// Measured on PostgreSQL 15: even for a type created in the same
	// transaction, a value ADD VALUE added is unusable until COMMIT.
	b.note("the new value cannot be used before this transaction commits (ERROR 55P04): use it in a later migration")
	typ, value := qkey(ae.Type), ae.Value
	b.after(func() {
		if b.s.enumAdded[typ] == nil {
			b.s.enumAdded[typ] = map[string]bool{}
		}
		b.s.enumAdded[typ][value] = true
	})
}

// checkEnumUse reports ERROR 55P04 for a statement using an enum value
// added earlier in the same transaction. Without the column types the
// model cannot tell whether a matching string literal is used as that
// enum, so the failure is conditional unless the literal is cast to it.
func (b *builder) checkEnumUse(literals []pgsql.Literal) {
	for typ, values := range b.s.enumAdded {
		for _, lit := range literals {
			if !values[lit.Value] {
				continue
			}
			name := typ[strings.IndexByte(typ, '.')+1:]
			msg := `unsafe use of new value "` + lit.Value + `" of enum type ` + name
			cast := !lit.Cast.IsZero() && key(lit.Cast.Schema, lit.Cast.Name) == typ
			switch {
			case cast:
				b.fail("55P04", msg, "")
			case lit.Cast.IsZero():
				b.fail("55P04", msg, "if '"+lit.Value+"' is used as a value of type "+name)
			default:
				continue
			}
			b.note("'%s' was added to %s earlier in this transaction: it can only be used after COMMIT", lit.Value, name)
		}
	}
}

// createType models CREATE TYPE / DOMAIN: no lock on existing objects.
func (b *builder) createType(ct *pgsql.CreateType) {
	if ct.As != "enum" || !b.s.inTx {
		return
	}
	// The type is new: nobody else can be waiting for its lock.
	typ := qkey(ct.Type)
	b.after(func() { b.s.typesCreated[typ] = true })
}

// createTrigger models CREATE TRIGGER: SHARE ROW EXCLUSIVE on the table.
func (b *builder) createTrigger(ct *pgsql.CreateTrigger) {
	b.setTable(ct.Table)
	b.lockTable(ShareRowExclusive)
}

// comment models COMMENT ON: SHARE UPDATE EXCLUSIVE on the relation.
func (b *builder) comment(c *pgsql.Comment) {
	switch c.Object {
	case pgsql.ObjectTable, pgsql.ObjectColumn, pgsql.ObjectForeignTable:
		b.setTable(c.Target)
		b.lockTable(ShareUpdateExclusive)
	case pgsql.ObjectConstraint, pgsql.ObjectTrigger:
		// The constraint or trigger itself is locked (SHARE UPDATE
		// EXCLUSIVE on the catalog object); its table only ACCESS SHARE.
		b.setTable(c.Target)
		b.lockTable(AccessShare)
	case pgsql.ObjectIndex:
		if t, ok := b.indexTable(c.Target); ok {
			b.setTable(t)
		}
		b.lock(c.Target, KindIndex, ShareUpdateExclusive, false)
	case pgsql.ObjectView, pgsql.ObjectMaterializedView, pgsql.ObjectSequence:
		b.lock(c.Target, relKindOf(c.Object), ShareUpdateExclusive, false)
	}
}

// dml models INSERT, UPDATE, DELETE and MERGE.
func (b *builder) dml(d *pgsql.DML) {
	b.setTable(d.Table)
	b.lockTable(RowExclusive)
	for _, r := range d.Reads {
		b.lock(r, KindTable, AccessShare, false)
	}
	switch d.Verb {
	case "UPDATE", "DELETE":
		b.lock(d.Table, KindAllIndexes, RowExclusive, false)
		if !d.Where {
			b.scan(strings.ToLower(d.Verb) + "s every row")
			b.note("an unfiltered %s locks every row until the transaction ends: concurrent updates and deletes of those rows wait; batch it outside the migration transaction", d.Verb)
		}
	case "MERGE":
		b.lock(d.Table, KindAllIndexes, RowExclusive, false)
	case "INSERT":
		if d.Query {
			b.note("INSERT ... SELECT reads its source tables under ACCESS SHARE")
		}
	}
	if !b.f.Scans && (d.Where || d.Query || len(d.Reads) > 0) {
		b.planScans()
	}
	table := d.Table
	switch {
	case d.Verb == "INSERT" || d.Verb == "MERGE":
		b.after(func() { b.s.filledTables[qkey(table)] = true })
	case d.Verb == "DELETE" && !d.Where && !d.Query && len(d.Reads) == 0 && b.s.inTx:
		b.after(func() {
			b.s.emptiedTables[qkey(table)] = true
			delete(b.s.filledTables, qkey(table))
		})
	}
	if d.Verb == "UPDATE" || d.Verb == "MERGE" {
		// The update may fill the columns added without a default.
		prefix := qkey(table) + "."
		b.after(func() {
			for k := range b.s.nullColumns {
				if strings.HasPrefix(k, prefix) {
					delete(b.s.nullColumns, k)
				}
			}
		})
	}
	b.note("foreign keys of the written rows take row locks (FOR KEY SHARE) on the referenced rows")
}

// harmlessCalls are functions a migration SELECTs without touching
// tables.
var harmlessCalls = map[string]bool{
	"set_config": true, "pg_advisory_lock": true, "pg_try_advisory_lock": true, "pg_advisory_unlock": true,
	"pg_advisory_xact_lock": true, "pg_try_advisory_xact_lock": true, "setval": true, "nextval": true,
	"now": true, "current_setting": true, "pg_sleep": true, "version": true,
}

// selectStmt models SELECT: ACCESS SHARE on what it reads, ROW SHARE with
// a FOR UPDATE/SHARE clause, and the known effects of the functions it
// calls.
func (b *builder) selectStmt(s *pgsql.Select) {
	mode := AccessShare
	if s.Locking != "" {
		mode = RowShare
	}
	for i, r := range s.Reads {
		if i == 0 {
			b.setTable(r)
		}
		b.lock(r, KindTable, mode, false)
		if s.Locking != "" {
			b.lock(r, KindAllIndexes, RowShare, false)
		}
	}
	if len(s.Reads) > 0 {
		b.planScans()
	}
	for _, c := range s.Calls {
		name := strings.ToLower(c.Name.Name)
		switch {
		case name == "create_hypertable":
			b.createHypertable(c)
		case name == "set_config":
			b.setConfig(c)
		case !harmlessCalls[name]:
			b.unknown("calls %s(): what it does is not analysed", c.Name.String())
		}
	}
}

// planScans says that a query filters or joins tables: whether it reads
// every row of one depends on the plan (an index or a sequential scan),
// which the model does not know.
func (b *builder) planScans() {
	b.f.MayScan = true
	b.note("how many rows the query reads depends on its plan: a sequential scan reads every row of a table")
}

// createHypertable models TimescaleDB's create_hypertable(table, ...).
func (b *builder) createHypertable(c pgsql.Call) {
	if len(c.Args) == 0 || !c.Args[0].Const {
		b.unknown("create_hypertable on a table not known statically")
		return
	}
	b.setTable(tableFromArg(c.Args[0].Value))
	b.lockTable(AccessExclusive)
	migrate := false
	for _, a := range c.Args {
		if a.Name == "migrate_data" && isTrue(a.Value) {
			migrate = true
		}
	}
	if migrate {
		b.rewrite("create_hypertable(..., migrate_data => true) moves every row into chunks under ACCESS EXCLUSIVE")
		return
	}
	b.fail("", `table "`+b.table.Name+`" is not empty`, "if the table has any row (TimescaleDB moves existing rows only with migrate_data => true)")
}

// tableFromArg reads a regclass argument ('public.users', 'users').
func tableFromArg(v string) pgsql.QName {
	v = strings.Trim(v, `"`)
	if i := strings.LastIndexByte(v, '.'); i >= 0 {
		return pgsql.QName{Schema: v[:i], Name: v[i+1:], Dynamic: pgsql.IsDynamic(v)}
	}
	return pgsql.QName{Name: v, Dynamic: pgsql.IsDynamic(v)}
}

// setConfig follows SELECT set_config('lock_timeout', value, is_local).
func (b *builder) setConfig(c pgsql.Call) {
	if len(c.Args) < 3 || !strings.EqualFold(c.Args[0].Value, "lock_timeout") {
		return
	}
	b.setLockTimeout(c.Args[1].Value, strings.EqualFold(c.Args[2].Value, "true"), false)
}

// lockStmt models LOCK TABLE.
func (b *builder) lockStmt(l *pgsql.LockTable) {
	if !b.s.inTx {
		b.fail("25P01", "LOCK TABLE can only be used in transaction blocks", "")
		return
	}
	mode, _ := ParseMode(l.Mode)
	for i, t := range l.Tables {
		if i == 0 {
			b.setTable(t)
		}
		b.lock(t, KindTable, mode, false)
	}
}

// set follows SET/RESET of lock_timeout.
func (b *builder) set(s *pgsql.Set) {
	if s.Name != "lock_timeout" && s.Name != "" {
		return
	}
	b.setLockTimeout(s.Value, s.Local, s.Reset)
}

// setLockTimeout updates the lock_timeout state: a value other than 0
// sets it; RESET goes back to what was in force when the migration began.
func (b *builder) setLockTimeout(value string, local, reset bool) {
	on := timeoutSet(value)
	if reset {
		on = b.s.ctx.LockTimeout
	}
	b.after(func() {
		switch {
		case local && b.s.inTx:
			b.s.localLockTimeout = &on
		case local:
			// SET LOCAL outside a transaction has no effect (WARNING 25P01).
		default:
			b.s.lockTimeout = on
			b.s.localLockTimeout = nil
		}
	})
}

// timeoutSet reports whether a timeout value ("5s", "500", "0") is other
// than 0, which disables the timeout.
func timeoutSet(value string) bool {
	digits := strings.TrimLeft(value, " ")
	end := strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' })
	if end >= 0 {
		digits = digits[:end]
	}
	return strings.ContainsAny(digits, "123456789")
}

// transaction follows BEGIN/COMMIT/ROLLBACK written in SQL.
func (b *builder) transaction(t *pgsql.Transaction) {
	switch t.Verb {
	case "BEGIN":
		b.after(func() { b.s.inTx = true })
	case "COMMIT", "ROLLBACK":
		b.after(b.s.endTransaction)
	}
}

// isTrue reads a boolean argument as PostgreSQL does (true, 't', 'on',
// 'yes', '1', any case).
func isTrue(v string) bool {
	switch strings.ToLower(strings.Trim(v, "'")) {
	case "true", "t", "on", "yes", "y", "1":
		return true
	}
	return false
}
