package locks

import (
	"strings"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// condTableHasRows is the condition of failures that only happen when the
// table holds rows: a table created by this migration is empty.
const condTableHasRows = "if the table has any row"

// finish derives the facts that depend on all the others: which locks are
// on new objects, the lock on the main table, blocking, the lock_timeout
// in force, and the explanation.
func (b *builder) finish() {
	f, s := &b.f, b.s
	f.LockTimeout = s.lockTimeout
	if s.localLockTimeout != nil {
		f.LockTimeout = *s.localLockTimeout
	}
	for i, l := range f.Locks {
		f.Locks[i].New = l.Created || b.isNewRelation(l)
		if b.unnamedIndexLocks && l.Kind == KindAllIndexes && l.Relation == b.table.String() && l.Mode < AccessExclusive {
			f.Locks[i].AtLeast = true
		}
	}
	if f.Table != "" {
		f.Mode = f.Lock(f.Table)
		f.TableNew = s.isNewTable(b.table)
		if s.inTx {
			f.Held = s.held[relKey(f.Table)]
		}
	}
	// Certain effects leave nothing to be unsure about.
	if f.Rewrites {
		f.MayRewrite = false
	}
	if f.Scans {
		f.MayScan = false
	}
	if !f.TableNew && f.Table != "" && s.emptiedTables[qkey(b.table)] && !s.filledTables[qkey(b.table)] {
		// Emptied earlier in this transaction, and nobody else can write
		// to it before COMMIT: nothing to scan, nothing to fail on.
		if f.Fails != nil && strings.HasPrefix(f.Fails.Condition, condTableHasRows) {
			f.Fails = nil
		}
		if f.Scans || f.Rewrites || f.MayScan || f.MayRewrite {
			f.Scans, f.Rewrites, f.MayScan, f.MayRewrite = false, false, false, false
			b.note("the table was emptied earlier in this transaction: it holds no row to read or copy")
		}
	}
	if f.TableNew {
		// No row and no other user: scans, rewrites and renames cost
		// nothing and break nothing.
		f.Scans, f.Rewrites, f.MayScan, f.MayRewrite = false, false, false, false
		f.LosesData, f.BreaksApp = false, false
		// Empty, unless the migration wrote rows into it.
		if f.Fails != nil && strings.HasPrefix(f.Fails.Condition, condTableHasRows) && !s.filledTables[qkey(b.table)] {
			f.Fails = nil
		}
		b.work = nil
	}
	for _, l := range f.Locks {
		if l.New || !blocksTraffic(l.Kind) {
			continue
		}
		eff := max(l.Mode, s.held[b.lockKey(l)])
		f.BlocksReads = f.BlocksReads || eff.BlocksReads()
		f.BlocksWrites = f.BlocksWrites || eff.BlocksWrites()
	}
	// Locks taken earlier in the transaction on existing relations still
	// make their traffic wait, whatever this statement is about.
	for _, m := range s.heldExisting {
		f.BlocksReads = f.BlocksReads || m.BlocksReads()
		f.BlocksWrites = f.BlocksWrites || m.BlocksWrites()
	}
	if f.Held.BlocksReads() && !f.TableNew {
		f.BlocksReads = true
	}
	if f.Held.BlocksWrites() && !f.TableNew {
		f.BlocksWrites = true
	}
	f.Explanation = b.explain()
}

// blocksTraffic reports whether a lock on this kind of object can make
// queries on a table wait. An index counts: every query plans with ACCESS
// SHARE on all the table's indexes, and writes take ROW EXCLUSIVE on them.
func blocksTraffic(k RelKind) bool {
	switch k {
	case KindTable, KindIndex, KindAllIndexes, KindView, KindMaterializedView:
		return true
	}
	return false
}

// isNewRelation reports whether a locked object was created by this
// migration (before this statement).
func (b *builder) isNewRelation(l Lock) bool {
	q := splitName(l.Relation)
	switch l.Kind {
	case KindTable, KindView, KindMaterializedView, KindAllIndexes:
		return b.s.isNewTable(q)
	case KindIndex:
		// The indexes a statement locks belong to its main table.
		_, created := b.s.newIndexes[qkey(q)]
		return created || b.s.isNewTable(b.table)
	case KindType:
		return b.s.typesCreated[qkey(q)]
	}
	return false
}

// splitName turns a displayed name back into a QName.
func splitName(name string) pgsql.QName {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return pgsql.QName{Schema: name[:i], Name: name[i+1:]}
	}
	return pgsql.QName{Name: name}
}
