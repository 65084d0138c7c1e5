package locks

import (
	"strings"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// createIndex models CREATE INDEX [CONCURRENTLY].
func (b *builder) createIndex(ci *pgsql.CreateIndex) {
	b.setTable(ci.Table)
	if ci.Concurrently && b.failInTransaction("CREATE INDEX CONCURRENTLY") {
		return
	}
	name := ci.Name
	if name == "" {
		cols := make([]string, len(ci.Columns))
		for i, c := range ci.Columns {
			cols[i] = c.Column
		}
		name = indexName(ci.Table.Name, cols, "idx")
	}
	// The index is created in the table's schema.
	index := pgsql.QName{Schema: ci.Table.Schema, Name: name}
	if ci.IfNotExists && ci.Name != "" && b.indexExists(index) {
		// PostgreSQL takes the table lock, then finds the name taken and
		// does nothing more (NOTICE).
		if ci.Concurrently {
			b.lockTable(ShareUpdateExclusive)
		} else {
			b.lockTable(Share)
		}
		b.note("IF NOT EXISTS: the index %s exists, nothing is built", quote(name))
		return
	}
	b.lock(index, KindIndex, AccessExclusive, true)
	table := ci.Table
	b.after(func() { b.s.newIndexes[qkey(index)] = table })
	if ci.Concurrently {
		b.lockTable(ShareUpdateExclusive)
		b.scan("builds the index in two passes over the table")
		b.note("CONCURRENTLY waits for every transaction holding a conflicting lock on the table, then for every older snapshot in the database; reads and writes continue")
		b.note("if it fails it leaves an INVALID index behind: drop it before retrying")
	} else {
		b.lockTable(Share)
		b.scan("builds the index")
		b.note("use CREATE INDEX CONCURRENTLY (outside a transaction) to keep writes going")
	}
	if ci.Unique {
		b.note("the build fails with 23505 if existing rows have duplicate keys")
	}
	if ci.Only {
		b.note("ON ONLY creates an invalid index on the partitioned table alone; attach the partitions' indexes to complete it")
	}
}

// indexExists reports whether an index is known to exist: created earlier
// in this migration or known to the Schema (hints do not tell).
func (b *builder) indexExists(index pgsql.QName) bool {
	if _, ok := b.s.newIndexes[qkey(index)]; ok {
		return true
	}
	if sc := b.s.ctx.Schema; sc != nil && !index.Dynamic {
		_, ok := sc.IndexTable(index.Schema, index.Name)
		return ok
	}
	return false
}

// dropIndex models DROP INDEX [CONCURRENTLY].
func (b *builder) dropIndex(d *pgsql.Drop) {
	if len(d.Names) > 0 {
		if t, ok := b.indexTable(d.Names[0]); ok {
			b.setTable(t)
		} else {
			b.note("the index's table is not known: the same lock is taken on it")
		}
	}
	if d.Concurrently {
		// PostgreSQL refuses a transaction block first, then the forms
		// CONCURRENTLY does not support.
		if b.failInTransaction("DROP INDEX CONCURRENTLY") {
			return
		}
		switch {
		case len(d.Names) > 1:
			b.fail("0A000", "DROP INDEX CONCURRENTLY does not support dropping multiple objects", "")
			return
		case d.Cascade:
			b.fail("0A000", "DROP INDEX CONCURRENTLY does not support CASCADE", "")
			return
		}
		b.lockTable(ShareUpdateExclusive)
		for _, n := range d.Names {
			b.lock(n, KindIndex, ShareUpdateExclusive, false)
		}
		b.note("CONCURRENTLY waits for the transactions using the index; its last step takes ACCESS EXCLUSIVE on the index alone, once no query uses it")
		b.forgetIndexes(d.Names)
		return
	}
	b.lockTable(AccessExclusive)
	for _, n := range d.Names {
		b.lock(n, KindIndex, AccessExclusive, false)
	}
	if b.table.IsZero() {
		// The table's lock is not listed, but the index's ACCESS EXCLUSIVE
		// already stops every query that plans on the table.
		b.f.BlocksReads, b.f.BlocksWrites = true, true
	}
	b.note("DROP INDEX takes ACCESS EXCLUSIVE on the table: DROP INDEX CONCURRENTLY (outside a transaction) does not block")
	b.forgetIndexes(d.Names)
}

// forgetIndexes removes dropped indexes from the session.
func (b *builder) forgetIndexes(names []pgsql.QName) {
	b.after(func() {
		for _, n := range names {
			delete(b.s.newIndexes, qkey(n))
		}
	})
}

// reindex models REINDEX [CONCURRENTLY].
func (b *builder) reindex(r *pgsql.Reindex) {
	if r.Concurrently && b.version() < 12 {
		b.fail("42601", "REINDEX CONCURRENTLY needs PostgreSQL 12", "")
		return
	}
	switch r.Object {
	case pgsql.ObjectIndex:
		if t, ok := b.indexTable(r.Name); ok {
			b.setTable(t)
		}
		if r.Concurrently {
			if b.failInTransaction("REINDEX CONCURRENTLY") {
				return
			}
			b.lockTable(ShareUpdateExclusive)
			b.lock(r.Name, KindIndex, ShareUpdateExclusive, false)
			// The new copy is built as <index>_ccnew (locked under that
			// name while it is built), then swaps names with the old one.
			b.lock(pgsql.QName{Schema: r.Name.Schema, Name: objectName(r.Name.Name, "", "ccnew")}, KindIndex, ShareUpdateExclusive, true)
			b.scan("builds a new copy of the index")
			b.note("REINDEX CONCURRENTLY waits for older transactions like CREATE INDEX CONCURRENTLY; the old index is dropped like DROP INDEX CONCURRENTLY")
			return
		}
		b.lockTable(Share)
		b.lock(r.Name, KindIndex, AccessExclusive, false)
		if b.table.IsZero() {
			b.f.BlocksReads, b.f.BlocksWrites = true, true
		}
		b.scan("rebuilds the index")
		b.note("ACCESS EXCLUSIVE on the index stops every query that would plan on the table: use REINDEX INDEX CONCURRENTLY (PG >= 12)")
	case pgsql.ObjectTable:
		b.setTable(r.Name)
		if r.Concurrently {
			if b.failInTransaction("REINDEX CONCURRENTLY") {
				return
			}
			b.lockTable(ShareUpdateExclusive)
			b.lock(r.Name, KindAllIndexes, ShareUpdateExclusive, false)
			b.scan("rebuilds every index of the table")
			return
		}
		b.lockTable(Share)
		b.lock(r.Name, KindAllIndexes, AccessExclusive, false)
		b.scan("rebuilds every index of the table")
	default:
		what := "REINDEX " + strings.ToUpper(string(r.Object))
		if r.Concurrently {
			what = "REINDEX CONCURRENTLY"
		}
		if b.failInTransaction(what) {
			return
		}
		b.unknown("%s reindexes many tables: their locks are not listed", what)
	}
}
