package locks

import (
	"strings"
)

// explain writes the one-line summary of the facts used in hovers: what
// lock on what, what waits, and for how long.
func (b *builder) explain() string {
	f := &b.f
	if f.Fails != nil && f.Fails.Condition == "" {
		return "fails: " + failureText(f.Fails)
	}
	var out string
	switch {
	case f.Table == "" && len(f.Locks) == 0:
		out = "takes no lock on existing tables"
	case f.Table == "":
		out = "takes " + strongest(f.Locks)
		if f.BlocksReads || f.BlocksWrites {
			out += ": " + blockedWords(f.BlocksReads, f.BlocksWrites) + " of its table wait"
		}
	case f.TableNew:
		out = "takes " + f.Mode.String() + " on " + quote(f.Table) + ", created earlier in this migration: no other session uses it yet"
	case b.createsTable():
		out = b.explainCreate()
	default:
		out = b.explainTable()
	}
	if f.Fails != nil {
		out += "; fails (ERROR " + f.Fails.Code + ") " + f.Fails.Condition
	}
	if f.Unknown {
		out += "; partly unknown (see notes)"
	}
	return out
}

// explainTable explains a statement on an existing table.
func (b *builder) explainTable() string {
	f := &b.f
	mode := f.Mode.String()
	if f.Mode == None {
		mode = "no lock"
	}
	on := mode + " on " + quote(f.Table)
	work := b.work
	if f.MayRewrite && !f.Rewrites {
		work = append(work, "may rewrite the table (see notes)")
	}
	if f.MayScan && !f.Scans {
		work = append(work, "may read every row of a table (see notes)")
	}
	what := strings.Join(work, " and ")
	blocked := blockedWords(f.BlocksReads, f.BlocksWrites)
	long := f.Scans || f.MayScan || f.MayRewrite
	var out string
	switch {
	case long && blocked != "":
		out = "holds " + on + " while it " + what + ": " + blocked + " wait for time proportional to the table size"
	case long:
		out = "takes " + on + " and " + what + ": reads and writes continue"
	case blocked != "" && what != "":
		out = "takes " + on + " and " + what + ": " + blocked + " wait " + b.waitSpan()
	case blocked != "":
		out = "takes " + on + " briefly (catalog change): " + blocked + " wait " + b.waitSpan()
	default:
		out = "takes " + on + ": blocks neither reads nor writes"
	}
	if f.Held > f.Mode {
		out += " (the transaction already holds " + f.Held.String() + " on it)"
	}
	return out
}

// createsTable reports whether the statement creates its main table (or
// view).
func (b *builder) createsTable() bool {
	for _, l := range b.f.Locks {
		if l.Relation == b.f.Table && l.Created && l.Kind != KindAllIndexes && l.Kind != KindIndex {
			return true
		}
	}
	return false
}

// explainCreate explains a statement creating its main table: what
// matters is the lock it takes on existing tables (referenced, copied,
// read).
func (b *builder) explainCreate() string {
	f := &b.f
	out := "creates " + quote(f.Table)
	var worst *Lock
	for i, l := range f.Locks {
		if !l.New && blocksTraffic(l.Kind) && (worst == nil || l.Mode > worst.Mode) {
			worst = &f.Locks[i]
		}
	}
	if worst == nil {
		return out
	}
	out += "; takes " + worst.Mode.String() + " on " + quote(worst.Relation)
	blocked := blockedWords(worst.Mode.BlocksReads(), worst.Mode.BlocksWrites())
	switch {
	case blocked != "":
		out += ": " + blocked + " of it wait " + b.waitSpan()
	case f.Scans:
		out += " and reads it: nothing waits"
	}
	return out
}

// waitSpan says how long traffic blocked by a short statement waits: in
// a transaction the lock is kept until COMMIT, after the statements that
// follow.
func (b *builder) waitSpan() string {
	if b.s.inTx {
		return "from the moment it queues for the lock until the transaction commits"
	}
	return "only while it waits for the lock and runs"
}

// blockedWords names what waits.
func blockedWords(reads, writes bool) string {
	switch {
	case reads && writes:
		return "reads and writes"
	case reads:
		return "reads"
	case writes:
		return "writes"
	}
	return ""
}

// strongest describes the strongest of the locks.
func strongest(locks []Lock) string {
	best := locks[0]
	for _, l := range locks[1:] {
		if l.Mode > best.Mode {
			best = l
		}
	}
	return best.Mode.String() + " on " + string(best.Kind) + " " + quote(best.Relation)
}

// failureText renders a failure as psql prints it.
func failureText(f *Failure) string {
	if f.Code == "" {
		return "ERROR: " + f.Message
	}
	return "ERROR " + f.Code + ": " + f.Message
}
