package locks

import (
	"strings"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// alterTable models ALTER TABLE: one lock on the table, the strongest any
// sub-command needs, taken once; a rewrite needed by any sub-command
// rewrites once for all of them.
func (b *builder) alterTable(at *pgsql.AlterTable) {
	switch at.Object {
	case pgsql.ObjectIndex:
		b.alterIndex(at)
		return
	case pgsql.ObjectView, pgsql.ObjectMaterializedView, pgsql.ObjectSequence:
		b.setTable(at.Table)
		b.lock(at.Table, relKindOf(at.Object), AccessExclusive, false)
		b.note("ALTER %s sub-commands are modelled as ACCESS EXCLUSIVE on it", strings.ToUpper(string(at.Object)))
		return
	}
	b.setTable(at.Table)
	for i := range at.Cmds {
		b.alterCmd(at, &at.Cmds[i])
	}
}

// relKindOf maps an object kind to the kind of its lock.
func relKindOf(o pgsql.ObjectKind) RelKind {
	switch o {
	case pgsql.ObjectIndex:
		return KindIndex
	case pgsql.ObjectView:
		return KindView
	case pgsql.ObjectMaterializedView:
		return KindMaterializedView
	case pgsql.ObjectSequence:
		return KindSequence
	}
	return KindTable
}

// shareUpdateExclusiveOptions are the storage parameters whose SET/RESET
// takes SHARE UPDATE EXCLUSIVE (reloptions.c lockmode in PG 15); the
// others (user_catalog_table, view options...) take ACCESS EXCLUSIVE.
var shareUpdateExclusiveOptions = map[string]bool{
	"fillfactor": true, "toast_tuple_target": true, "parallel_workers": true,
	"log_autovacuum_min_duration": true, "vacuum_index_cleanup": true, "vacuum_truncate": true,
	"deduplicate_items": true,
}

func optionsLockMode(options []string) Mode {
	for _, o := range options {
		o = strings.TrimPrefix(o, "toast.")
		if !shareUpdateExclusiveOptions[o] && !strings.HasPrefix(o, "autovacuum_") {
			return AccessExclusive
		}
	}
	return ShareUpdateExclusive
}

// alterCmd models one sub-command.
func (b *builder) alterCmd(at *pgsql.AlterTable, c *pgsql.AlterCmd) {
	switch c.Kind {
	case pgsql.AlterAddColumn:
		b.addColumn(c)
	case pgsql.AlterDropColumn:
		b.dropColumn(c)
	case pgsql.AlterColumnType:
		b.alterColumnType(c)
	case pgsql.AlterSetNotNull:
		b.setNotNull(c.Column)
	case pgsql.AlterDropNotNull:
		b.lockTable(AccessExclusive)
	case pgsql.AlterSetDefault:
		b.lockTable(AccessExclusive)
		if c.Default != nil && c.Default.Volatility >= pgsql.VolatilityUnknown {
			b.note("SET DEFAULT only applies to rows inserted later: existing rows are not rewritten, even for a volatile default")
		}
	case pgsql.AlterDropDefault:
		b.lockTable(AccessExclusive)
	case pgsql.AlterAddConstraint:
		b.addConstraint(at, c.Constraint)
	case pgsql.AlterValidateConstraint:
		b.validateConstraint(c.Name)
	case pgsql.AlterDropConstraint:
		b.dropConstraint(at, c)
	case pgsql.AlterAlterConstraint:
		// Only foreign key deferrability can be altered; PostgreSQL 15
		// takes ACCESS EXCLUSIVE for it (measured).
		b.lockTable(AccessExclusive)
	case pgsql.AlterSetStatistics, pgsql.AlterSetColumnOptions, pgsql.AlterResetColumnOptions,
		pgsql.AlterClusterOn, pgsql.AlterSetWithoutCluster:
		b.lockTable(ShareUpdateExclusive)
	case pgsql.AlterSetOptions, pgsql.AlterResetOptions:
		b.lockTable(optionsLockMode(c.Options))
	case pgsql.AlterSetLogged, pgsql.AlterSetUnlogged:
		b.lockTable(AccessExclusive)
		b.rewrite("SET LOGGED/UNLOGGED writes a new copy of the table and its indexes")
		b.note("the table's owned sequences (serial/identity) are locked ACCESS EXCLUSIVE too")
	case pgsql.AlterSetTablespace:
		// ATExecSetTableSpace returns at once when the table is there
		// already; the indexes stay where they are.
		b.lockTable(AccessExclusive)
		b.f.MayRewrite, b.f.MayScan = true, true
		b.note("SET TABLESPACE %s copies every block of the table into a new file (its indexes stay where they are), unless the table is in that tablespace already: then nothing happens", c.Name)
	case pgsql.AlterSetAccessMethod:
		// ATPrepSetAccessMethod does nothing when the table already uses
		// that access method (heap, the default, for almost every table).
		b.lockTable(AccessExclusive)
		b.f.MayRewrite, b.f.MayScan = true, true
		b.note("SET ACCESS METHOD %s rewrites the table and rebuilds its indexes, unless the table uses %s already (heap is the default): then nothing happens", c.Name, c.Name)
	case pgsql.AlterEnableTrigger, pgsql.AlterDisableTrigger:
		b.lockTable(ShareRowExclusive)
	case pgsql.AlterAttachPartition:
		b.attachPartition(c)
	case pgsql.AlterDetachPartition:
		b.detachPartition(c)
	case pgsql.AlterSetStorage, pgsql.AlterSetCompression, pgsql.AlterReplicaIdentity, pgsql.AlterAddIdentity,
		pgsql.AlterSetIdentity, pgsql.AlterDropIdentity, pgsql.AlterDropExpression, pgsql.AlterOwner,
		pgsql.AlterRowSecurity, pgsql.AlterRule, pgsql.AlterInherit, pgsql.AlterNoInherit:
		b.lockTable(AccessExclusive)
	default:
		b.lockTable(AccessExclusive)
		b.note("sub-command %s is not modelled in detail: ACCESS EXCLUSIVE assumed", c.Subtype)
	}
}

// addColumn models ADD COLUMN.
func (b *builder) addColumn(c *pgsql.AlterCmd) {
	b.lockTable(AccessExclusive)
	col := c.Def
	if col == nil {
		return
	}
	if col.Dynamic {
		b.unknown("the column name is built at run time")
	}
	if c.IfNotExists {
		b.note("ADD COLUMN IF NOT EXISTS does nothing when the column exists")
	}
	t := b.table
	b.after(func() { b.s.columnTypes[key(t.Schema, t.Name, col.Name)] = col.Type })

	hasDefault := false // a non-NULL value for every existing row
	switch {
	case col.Type.IsSerial() || col.Identity != "":
		hasDefault = true
		seq := pgsql.QName{Schema: t.Schema, Name: objectName(t.Name, col.Name, "seq")}
		b.lock(seq, KindSequence, AccessExclusive, true)
		b.lock(schemaOf(t), KindSchema, AccessShare, false)
		b.rewrite("a " + serialWord(col) + " column fills every existing row from a new sequence (nextval is volatile): the table is rewritten")
	case col.Generated != nil:
		hasDefault = true
		b.rewrite("a stored generated column is computed for every existing row: the table is rewritten")
	case col.Default != nil && !col.Default.Null:
		hasDefault = true
		b.columnDefault(col.Default)
	}
	notNull := col.NotNull
	for _, k := range col.Constraints {
		if k.Kind == pgsql.ConstraintPrimaryKey {
			notNull = true
		}
	}
	// A nullable column without a value is NULL in every existing row until
	// an UPDATE fills it (a later SET NOT NULL fails on any row).
	k := key(t.Schema, t.Name, col.Name)
	allNull := !notNull && !hasDefault && !c.IfNotExists && !b.s.isNewTable(t)
	b.after(func() {
		if allNull {
			b.s.nullColumns[k] = true
		} else {
			delete(b.s.nullColumns, k)
		}
	})
	if notNull && !hasDefault {
		b.scan("checks every row for NULLs")
		b.fail("23502", `column "`+col.Name+`" of relation "`+t.Name+`" contains null values`, condTableHasRows)
		b.note("a NOT NULL column without a default can only be added to an empty table: add it nullable, backfill, then set NOT NULL")
	}
	for i := range col.Constraints {
		b.inlineConstraint(col, &col.Constraints[i], hasDefault)
	}
}

// serialWord names the kind of auto-filled column.
func serialWord(col *pgsql.Column) string {
	if col.Identity != "" {
		return "identity"
	}
	return col.Type.Name
}

// columnDefault models the default of a new column.
func (b *builder) columnDefault(def *pgsql.Expr) {
	text := def.Text
	if text == "" {
		text = "the default"
	}
	switch def.Volatility {
	case pgsql.VolatilityVolatile:
		b.rewrite("volatile default " + text + " is evaluated for every existing row: the table is rewritten")
	case pgsql.VolatilityUnknown:
		b.f.MayRewrite = true
		b.note("default %s calls %s, whose volatility lockwise does not know: the table is rewritten if it is volatile",
			text, strings.Join(def.UnknownFunctions, ", "))
	default:
		if b.version() < 11 {
			b.rewrite("PG < 11: adding a column with a default rewrites the table")
			return
		}
		if def.Volatility == pgsql.VolatilityStable {
			b.note("PG >= 11: %s is stable, evaluated once and stored in the catalog: no rewrite", text)
		} else {
			b.note("PG >= 11: constant default stored in the catalog, no rewrite")
		}
	}
}

// inlineConstraint models a constraint written on an added column.
func (b *builder) inlineConstraint(col *pgsql.Column, k *pgsql.Constraint, hasDefault bool) {
	t := b.table
	switch k.Kind {
	case pgsql.ConstraintCheck:
		b.scan("checks every row against the CHECK constraint")
	case pgsql.ConstraintUnique, pgsql.ConstraintPrimaryKey, pgsql.ConstraintExclude:
		b.lock(pgsql.QName{Schema: t.Schema, Name: constraintIndexName(t.Name, k)}, KindIndex, AccessExclusive, true)
		b.scan("builds the index")
	case pgsql.ConstraintForeignKey:
		b.referenceLock(k.References.Table, ShareRowExclusive)
		if hasDefault {
			// Every row gets the default, so every row must be checked.
			b.foreignKeyScan(k.References.Table)
		} else {
			b.note("the new column is all NULL: the inline REFERENCES has nothing to validate")
		}
	}
}

// referenceLock locks the table a foreign key references.
func (b *builder) referenceLock(ref pgsql.QName, mode Mode) {
	if ref.String() == b.table.String() {
		b.lockTable(mode)
		return
	}
	b.lock(ref, KindTable, mode, false)
}

// foreignKeyScan records the validation query of a foreign key: it reads
// every row of the table, opening all its indexes.
func (b *builder) foreignKeyScan(ref pgsql.QName) {
	b.scan("validates every row against " + quote(ref.String()))
	b.lock(b.table, KindAllIndexes, AccessShare, false)
	b.note("the validation query also takes ACCESS SHARE on the referenced key's index of %s", quote(ref.String()))
}

// dropColumn models DROP COLUMN.
func (b *builder) dropColumn(c *pgsql.AlterCmd) {
	b.lockTable(AccessExclusive)
	b.f.LosesData = true
	b.f.BreaksApp = true
	k := key(b.table.Schema, b.table.Name, c.Column)
	b.after(func() { delete(b.s.nullColumns, k) })
	b.note("DROP COLUMN only marks the column dropped (no rewrite); code still selecting it fails once this commits")
	if idx, ok := b.columnIndexes(c.Column); ok {
		for _, i := range idx {
			b.lock(pgsql.QName{Schema: b.table.Schema, Name: i}, KindIndex, AccessExclusive, false)
		}
	} else {
		b.note("indexes on the column are dropped with it (ACCESS EXCLUSIVE on each)")
		b.unnamedIndexLocks = true
	}
	b.note("if the column has a foreign key, the referenced table is locked ACCESS EXCLUSIVE too")
	if c.Cascade {
		b.note("CASCADE also drops the views and constraints that depend on the column")
	}
}

// columnIndexes returns the indexes on a column of the main table when the
// Schema knows them.
func (b *builder) columnIndexes(column string) ([]string, bool) {
	sc := b.s.ctx.Schema
	if sc == nil || b.table.Dynamic {
		return nil, false
	}
	return sc.ColumnIndexes(b.table.Schema, b.table.Name, column)
}

// oldColumnType finds a column's type before the statement: from the
// hints, from earlier statements of this migration, or from the Schema.
func (b *builder) oldColumnType(column string) pgsql.TypeName {
	if s, ok := b.hints.OldTypes[column]; ok {
		if t, ok := pgsql.ParseType(s); ok {
			return t
		}
	}
	t := b.table
	if typ, ok := b.s.columnTypes[key(t.Schema, t.Name, column)]; ok {
		return typ
	}
	if sc := b.s.ctx.Schema; sc != nil && !t.Dynamic {
		if s, ok := sc.ColumnType(t.Schema, t.Name, column); ok {
			if typ, ok := pgsql.ParseType(s); ok {
				return typ
			}
		}
	}
	return pgsql.TypeName{}
}

// alterColumnType models ALTER COLUMN ... TYPE.
func (b *builder) alterColumnType(c *pgsql.AlterCmd) {
	b.lockTable(AccessExclusive)
	if c.Type.IsSerial() {
		b.fail("42704", `type "`+c.Type.Name+`" does not exist`, "")
		b.note("serial types only exist in CREATE TABLE / ADD COLUMN; use integer/bigint and a sequence default")
		return
	}
	old := b.oldColumnType(c.Column)
	tc := classifyTypeChange(old, c.Type, c.Using, b.s.ctx)
	t := b.table
	newType := c.Type
	b.after(func() { b.s.columnTypes[key(t.Schema, t.Name, c.Column)] = newType })
	idx, idxKnown := b.columnIndexes(c.Column)
	if !idxKnown && !tc.rewrite {
		// Without a rewrite the column's indexes are still recreated.
		b.unnamedIndexLocks = true
	}
	switch {
	case !tc.known:
		b.f.MayRewrite = true
		b.note("rewrite unknown: %s", tc.why)
	case tc.rewrite:
		b.rewrite(tc.why)
	default:
		b.note("%s", tc.why)
		// The column's indexes are dropped and created again, reusing
		// their storage unless the operator class changes.
		for _, i := range idx {
			b.lock(pgsql.QName{Schema: t.Schema, Name: i}, KindIndex, AccessExclusive, false)
		}
		if tc.rebuildIndexes {
			switch {
			case idxKnown && len(idx) > 0:
				b.scan("rebuilds the column's indexes")
			case !idxKnown:
				b.f.MayScan = true
				b.note("the column's indexes, if any, are rebuilt from the table (a full scan each)")
			}
		}
	}
	for _, i := range idx {
		b.lock(pgsql.QName{Schema: t.Schema, Name: i}, KindIndex, AccessExclusive, true)
	}
}

// setNotNull models ALTER COLUMN ... SET NOT NULL.
func (b *builder) setNotNull(column string) {
	b.lockTable(AccessExclusive)
	t := b.table
	if b.s.nullColumns[key(t.Schema, t.Name, column)] {
		// Added by this migration without a default and not updated since:
		// every existing row holds NULL.
		b.scan("checks every row for NULLs")
		b.fail("23502", `column "`+column+`" of relation "`+t.Name+`" contains null values`, condTableHasRows)
		b.note("the column was added earlier in this migration without a default: every existing row is NULL until a backfill fills it")
		return
	}
	if b.hasValidatedNotNullCheck(column) {
		if b.version() >= 12 {
			b.note("PG >= 12: a validated CHECK (%s IS NOT NULL) proves the column has no NULL: no scan", column)
			return
		}
		b.note("PG < 12 ignores the validated CHECK (%s IS NOT NULL): the table is scanned anyway", column)
	}
	b.scan("checks every row for NULLs")
	b.note("add CHECK (%s IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PG >= 12) to avoid the scan under ACCESS EXCLUSIVE", column)
}

// hasValidatedNotNullCheck reports whether a validated CHECK (column IS
// NOT NULL) is known on the main table.
func (b *builder) hasValidatedNotNullCheck(column string) bool {
	t := b.table
	if b.s.notNullChecks[key(t.Schema, t.Name, column)] {
		return true
	}
	sc := b.s.ctx.Schema
	return sc != nil && !t.Dynamic && sc.HasValidatedNotNullCheck(t.Schema, t.Name, column)
}

// attachPartition models ATTACH PARTITION.
func (b *builder) attachPartition(c *pgsql.AlterCmd) {
	if b.version() >= 12 {
		b.lockTable(ShareUpdateExclusive)
	} else {
		b.lockTable(AccessExclusive)
	}
	b.lock(c.Partition, KindTable, AccessExclusive, false)
	// The scan is of the partition, under its ACCESS EXCLUSIVE lock.
	b.f.MayScan = true
	b.note("the partition is scanned to check its rows fit the bounds, unless a validated CHECK constraint proves it")
}

// detachPartition models DETACH PARTITION [CONCURRENTLY].
func (b *builder) detachPartition(c *pgsql.AlterCmd) {
	if !c.Concurrently {
		b.lockTable(AccessExclusive)
		b.lock(c.Partition, KindTable, AccessExclusive, false)
		return
	}
	if b.version() < 14 {
		b.fail("42601", "DETACH PARTITION CONCURRENTLY needs PostgreSQL 14", "")
		return
	}
	if b.failInTransaction("ALTER TABLE ... DETACH CONCURRENTLY") {
		return
	}
	b.lockTable(ShareUpdateExclusive)
	b.lock(c.Partition, KindTable, ShareUpdateExclusive, false)
	b.note("DETACH CONCURRENTLY waits for all transactions using the partitioned table")
}

// alterIndex models ALTER INDEX ... SET/RESET/SET TABLESPACE....
func (b *builder) alterIndex(at *pgsql.AlterTable) {
	mode := ShareUpdateExclusive
	for _, c := range at.Cmds {
		switch c.Kind {
		case pgsql.AlterSetOptions, pgsql.AlterResetOptions:
			mode = max(mode, optionsLockMode(c.Options))
		case pgsql.AlterSetStatistics:
		default:
			mode = AccessExclusive
		}
	}
	if t, ok := b.indexTable(at.Table); ok {
		b.setTable(t)
	}
	b.lock(at.Table, KindIndex, mode, false)
}

func quote(s string) string { return `"` + s + `"` }
