package locks

import (
	"slices"
	"strings"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// createTable models CREATE TABLE [AS / LIKE / PARTITION OF].
func (b *builder) createTable(ct *pgsql.CreateTable) {
	t := ct.Table
	b.setTable(t)
	b.lock(t, KindTable, AccessExclusive, true)
	b.lock(schemaOf(t), KindSchema, AccessShare, false)
	if ct.IfNotExists {
		b.note("IF NOT EXISTS: nothing happens when the table exists")
	}
	b.after(func() {
		b.s.newTables[qkey(t)] = true
		if ct.AsQuery && !ct.WithNoData {
			b.s.filledTables[qkey(t)] = true
		}
		for _, c := range ct.Columns {
			b.s.columnTypes[key(t.Schema, t.Name, c.Name)] = c.Type
		}
	})
	for _, c := range ct.Columns {
		if c.Type.IsSerial() || c.Identity != "" {
			b.lock(pgsql.QName{Schema: t.Schema, Name: objectName(t.Name, c.Name, "seq")}, KindSequence, AccessExclusive, true)
		}
		for _, k := range c.Constraints {
			if k.Kind == pgsql.ConstraintForeignKey && len(k.Columns) == 0 {
				k.Columns = []string{c.Name}
			}
			b.createTableConstraint(t, k)
		}
	}
	for _, k := range ct.Constraints {
		b.createTableConstraint(t, k)
	}
	for _, like := range ct.Like {
		b.lock(like, KindTable, AccessShare, false)
		b.note("LIKE ... INCLUDING INDEXES creates the new table's indexes too (new, locked ACCESS EXCLUSIVE)")
	}
	for _, parent := range ct.Inherits {
		b.lock(parent, KindTable, ShareUpdateExclusive, false)
	}
	if !ct.PartitionOf.IsZero() {
		b.lock(ct.PartitionOf, KindTable, AccessExclusive, false)
		b.note("CREATE TABLE ... PARTITION OF locks the partitioned table ACCESS EXCLUSIVE; creating it detached and using ATTACH PARTITION (PG >= 12) takes only SHARE UPDATE EXCLUSIVE there")
	}
	if ct.AsQuery {
		for _, r := range ct.Reads {
			b.lock(r, KindTable, AccessShare, false)
			if !ct.WithNoData {
				b.lock(r, KindAllIndexes, AccessShare, false)
			}
		}
		if !ct.WithNoData && len(ct.Reads) > 0 {
			b.f.Scans = true
			b.note("the query reads its source tables under ACCESS SHARE: nothing waits")
		}
	}
}

// createTableConstraint models a constraint of a new table: only foreign
// keys and index-backed constraints touch other relations.
func (b *builder) createTableConstraint(t pgsql.QName, k pgsql.Constraint) {
	switch k.Kind {
	case pgsql.ConstraintForeignKey:
		if k.References.Table.String() == t.String() {
			return // self reference: the new table's own lock covers it
		}
		// Remembered for a DROP TABLE later in the migration.
		name := k.Name
		if name == "" && len(k.Columns) > 0 {
			name = objectName(t.Name, k.Columns[0], "fkey")
		}
		state := &constraintState{kind: k.Kind, references: k.References.Table}
		b.after(func() { b.s.constraints[key(t.Schema, t.Name, name)] = state })
		b.lock(k.References.Table, KindTable, ShareRowExclusive, false)
		b.note("a foreign key takes SHARE ROW EXCLUSIVE on the referenced table %s: its writes wait until the transaction ends", quote(k.References.Table.String()))
	case pgsql.ConstraintPrimaryKey, pgsql.ConstraintUnique, pgsql.ConstraintExclude:
		b.lock(pgsql.QName{Schema: t.Schema, Name: constraintIndexName(t.Name, &k)}, KindIndex, AccessExclusive, true)
	}
}

// drop models DROP of any object.
func (b *builder) drop(d *pgsql.Drop) {
	switch d.Object {
	case pgsql.ObjectIndex:
		b.dropIndex(d)
	case pgsql.ObjectTable, pgsql.ObjectForeignTable:
		b.dropTables(d)
	case pgsql.ObjectView, pgsql.ObjectMaterializedView, pgsql.ObjectSequence:
		for _, n := range d.Names {
			b.lock(n, relKindOf(d.Object), AccessExclusive, false)
		}
		if d.Object != pgsql.ObjectSequence {
			b.f.BreaksApp = true
		}
	case pgsql.ObjectType, pgsql.ObjectDomain:
		for _, n := range d.Names {
			b.lock(n, KindType, AccessExclusive, false)
		}
		if d.Cascade {
			b.f.LosesData = true
			b.unknown("DROP TYPE ... CASCADE drops every column of that type, under ACCESS EXCLUSIVE on its table: those tables are not known")
		}
	case pgsql.ObjectTrigger:
		b.setTable(d.Table)
		b.lockTable(AccessExclusive)
	case pgsql.ObjectSchema:
		if d.Cascade {
			b.f.LosesData = true
			b.unknown("DROP SCHEMA ... CASCADE drops every object in it: their locks are not listed")
		}
	default:
		b.note("DROP %s takes no table lock the model knows of", string(d.Object))
	}
}

// dropTables models DROP TABLE.
func (b *builder) dropTables(d *pgsql.Drop) {
	if b.lockWholeTables(d.Names) {
		b.f.LosesData = true
		b.f.BreaksApp = true
	}
	// Dropping a foreign key's triggers locks the referenced table
	// ACCESS EXCLUSIVE: known for the foreign keys this migration added.
	var keys []string
	for k := range b.s.constraints {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the order of the locks is the same every time
	for _, n := range d.Names {
		prefix := qkey(n) + "."
		for _, k := range keys {
			if c := b.s.constraints[k]; strings.HasPrefix(k, prefix) && c.kind == pgsql.ConstraintForeignKey && !c.references.IsZero() {
				b.lock(c.references, KindTable, AccessExclusive, false)
			}
		}
	}
	names := d.Names
	b.after(func() {
		for _, n := range names {
			delete(b.s.newTables, qkey(n))
		}
	})
	b.note("DROP TABLE also takes ACCESS EXCLUSIVE on the tables its foreign keys reference (and, with CASCADE, on the tables referencing it) and on its owned sequences")
}

// lockWholeTables takes ACCESS EXCLUSIVE on tables and all their
// indexes, the first being the main table, and reports whether one of
// them existed before the migration.
func (b *builder) lockWholeTables(tables []pgsql.QName) (existing bool) {
	// The main table is the first that existed before the migration: its
	// data is what the statement destroys (`DROP TABLE scratch, users`).
	main := -1
	for i, n := range tables {
		if !b.s.isNewTable(n) {
			main = i
			break
		}
	}
	for i, n := range tables {
		if i == max(main, 0) {
			b.setTable(n)
		}
		b.lock(n, KindTable, AccessExclusive, false)
		b.lock(n, KindAllIndexes, AccessExclusive, false)
		existing = existing || !b.s.isNewTable(n)
	}
	return existing
}

// rename models ALTER ... RENAME.
func (b *builder) rename(r *pgsql.Rename) {
	switch r.Object {
	case pgsql.ObjectTable, pgsql.ObjectForeignTable:
		b.setTable(r.Target)
		b.lockTable(AccessExclusive)
		wasNew := b.s.isNewTable(r.Target)
		if !wasNew {
			b.f.BreaksApp = true
			b.note("running code still uses the old table name until it is deployed again")
		}
		renamed := pgsql.QName{Schema: r.Target.Schema, Name: r.New}
		b.after(func() {
			if wasNew {
				delete(b.s.newTables, qkey(r.Target))
				b.s.newTables[qkey(renamed)] = true
			}
		})
	case pgsql.ObjectColumn:
		b.setTable(r.Target)
		b.lockTable(AccessExclusive)
		b.f.BreaksApp = true
		b.note("running code still uses the old column name: in Ecto, keep the field and point it at the new column with source:")
	case pgsql.ObjectConstraint, pgsql.ObjectTrigger:
		b.setTable(r.Target)
		b.lockTable(AccessExclusive)
		if r.Object == pgsql.ObjectConstraint {
			b.note("renaming a constraint backed by an index (primary key, unique, exclusion) also takes SHARE UPDATE EXCLUSIVE on the index")
		}
	case pgsql.ObjectIndex:
		if t, ok := b.indexTable(r.Target); ok {
			b.setTable(t)
		}
		if b.version() >= 12 {
			b.lock(r.Target, KindIndex, ShareUpdateExclusive, false)
		} else {
			b.lock(r.Target, KindIndex, AccessExclusive, false)
			b.note("PG < 12: ALTER INDEX ... RENAME takes ACCESS EXCLUSIVE on the index")
		}
	case pgsql.ObjectView, pgsql.ObjectMaterializedView, pgsql.ObjectSequence:
		b.lock(r.Target, relKindOf(r.Object), AccessExclusive, false)
		if r.Object != pgsql.ObjectSequence {
			b.f.BreaksApp = true
		}
	case pgsql.ObjectType, pgsql.ObjectDomain:
		// Measured on PostgreSQL 15: no lock, not even on the type.
		b.note("renaming a type takes no lock; code that names the type in SQL breaks once this commits")
	default:
		b.note("renaming a %s takes no table lock the model knows of", string(r.Object))
	}
}

// truncate models TRUNCATE.
func (b *builder) truncate(t *pgsql.Truncate) {
	b.f.LosesData = b.lockWholeTables(t.Tables)
	// New empty files for the table and its indexes: it counts as a
	// rewrite, but copies nothing and takes constant time.
	b.f.Rewrites = true
	b.doing("swaps in empty files for the table and its indexes")
	b.note("TRUNCATE is instant (no row is read or copied) but deletes every row")
	if b.s.inTx {
		tables := t.Tables
		b.after(func() {
			for _, n := range tables {
				b.s.emptiedTables[qkey(n)] = true
				delete(b.s.filledTables, qkey(n))
			}
		})
	}
	if t.Cascade {
		b.note("CASCADE also truncates, under ACCESS EXCLUSIVE, every table referencing these through a foreign key")
	}
}

// vacuum models VACUUM [FULL] and ANALYZE.
func (b *builder) vacuum(v *pgsql.Vacuum) {
	if len(v.Tables) > 0 {
		b.setTable(v.Tables[0])
	}
	if !v.IsAnalyze && b.failInTransaction("VACUUM") {
		return
	}
	if len(v.Tables) == 0 {
		b.unknown("without a table list it processes every table of the database: their locks are not listed")
	}
	for _, n := range v.Tables {
		switch {
		case v.IsAnalyze:
			b.lock(n, KindTable, ShareUpdateExclusive, false)
			b.lock(n, KindAllIndexes, AccessShare, false)
		case v.Full:
			b.lock(n, KindTable, AccessExclusive, false)
			b.lock(n, KindAllIndexes, AccessExclusive, false)
		default:
			b.lock(n, KindTable, ShareUpdateExclusive, false)
			b.lock(n, KindAllIndexes, RowExclusive, false)
		}
	}
	switch {
	case v.IsAnalyze:
		b.note("ANALYZE reads a random sample of the table, not every row")
	case v.Full:
		b.rewrite("VACUUM FULL writes a compacted copy of the table and rebuilds its indexes")
	default:
		b.scan("reads the table's pages that are not all-visible")
	}
}

// cluster models CLUSTER.
func (b *builder) cluster(c *pgsql.Cluster) {
	if c.Table.IsZero() {
		if !b.failInTransaction("CLUSTER") {
			b.unknown("CLUSTER without a table reclusters every clustered table: their locks are not listed")
		}
		return
	}
	b.setTable(c.Table)
	b.lockTable(AccessExclusive)
	b.rewrite("CLUSTER writes a sorted copy of the table and rebuilds its indexes")
}

// createView models CREATE [MATERIALIZED] VIEW.
func (b *builder) createView(v *pgsql.CreateView) {
	kind := KindView
	if v.Materialized {
		kind = KindMaterializedView
	}
	b.setTable(v.View)
	b.lock(v.View, kind, AccessExclusive, !v.Replace)
	b.lock(schemaOf(v.View), KindSchema, AccessShare, false)
	if v.Replace {
		b.note("CREATE OR REPLACE VIEW locks an existing view ACCESS EXCLUSIVE while it swaps the definition")
	} else {
		view := v.View
		b.after(func() { b.s.newTables[qkey(view)] = true })
	}
	scans := v.Materialized && !v.WithNoData
	for _, r := range v.Reads {
		b.lock(r, KindTable, AccessShare, false)
		if scans {
			b.lock(r, KindAllIndexes, AccessShare, false)
		}
	}
	if scans && len(v.Reads) > 0 {
		b.f.Scans = true
		b.note("the materialized view's query reads its source tables under ACCESS SHARE: nothing waits")
	}
}

// refreshMatView models REFRESH MATERIALIZED VIEW [CONCURRENTLY].
func (b *builder) refreshMatView(r *pgsql.RefreshMatView) {
	b.setTable(r.View)
	if r.Concurrently {
		// The new result is compared with the old one and the difference
		// applied row by row: no new files, the indexes are written.
		b.lock(r.View, KindMaterializedView, Exclusive, false)
		b.lock(r.View, KindAllIndexes, RowExclusive, false)
		b.note("CONCURRENTLY keeps the view readable (EXCLUSIVE lock) and needs a unique index on it")
	} else {
		b.lock(r.View, KindMaterializedView, AccessExclusive, false)
		b.note("reads of the view wait until the refresh ends: use CONCURRENTLY")
		if !r.WithNoData {
			// New files for the view and its indexes, filled from the query.
			b.f.Rewrites = true
			b.lock(r.View, KindAllIndexes, AccessExclusive, false)
			b.doing("replaces the view's data and rebuilds its indexes")
		}
	}
	if !r.WithNoData {
		// The query reads its own tables, which the model does not see.
		b.f.MayScan = true
		b.note("the view's query runs again: how much of its tables it reads depends on the query")
	}
}
