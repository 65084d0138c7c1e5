package present

import (
	"sort"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/analysis/locks"
)

// SymbolKind is the kind of an outline entry.
type SymbolKind int

const (
	SymbolModule SymbolKind = iota + 1
	SymbolFunction
	SymbolOperation
	SymbolTable
	SymbolColumn
)

// Symbol is one entry of the outline of a migration.
type Symbol struct {
	Name, Detail       string
	Kind               SymbolKind
	Start, End         int
	NameStart, NameEnd int
	Children           []Symbol
}

// Outline is the migration module, its callbacks, and the operations of
// each callback (the sub-commands of create/alter as children).
func Outline(res *check.Result) []Symbol {
	m := res.Migration
	if m == nil || m.Module == "" {
		return nil
	}
	mod := Symbol{Name: m.Module, Detail: transactionDetail(m), Kind: SymbolModule,
		Start: m.ModuleRange.Start, End: m.ModuleRange.End, NameStart: m.ModuleRange.Start, NameEnd: m.ModuleRange.Start}
	cbs := make([]*analysis.Callback, 0, len(m.Callbacks))
	for _, cb := range m.Callbacks {
		cbs = append(cbs, cb)
	}
	sort.Slice(cbs, func(i, j int) bool { return cbs[i].Start < cbs[j].Start })
	classes := map[*analysis.Op]*analysis.OpFacts{}
	for _, of := range res.Up {
		classes[of.Op] = of
	}
	for _, of := range res.Down {
		if _, ok := classes[of.Op]; !ok {
			classes[of.Op] = of
		}
	}
	for _, cb := range cbs {
		fn := Symbol{Name: cb.Name + "/0", Kind: SymbolFunction, Start: cb.Start, End: cb.End, NameStart: cb.NameStart, NameEnd: cb.NameEnd}
		seen := map[[2]int]bool{}
		for _, plan := range []analysis.Plan{m.Up, m.Down} {
			for _, op := range plan.Ops {
				if op.Start < cb.Start || op.End > cb.End || op.Reversed || seen[[2]int{op.Start, op.End}] {
					continue
				}
				seen[[2]int{op.Start, op.End}] = true
				fn.Children = append(fn.Children, opSymbol(op, classes[op]))
			}
		}
		mod.Children = append(mod.Children, fn)
	}
	return []Symbol{mod}
}

func opSymbol(op *analysis.Op, of *analysis.OpFacts) Symbol {
	s := Symbol{Name: Title(op), Kind: SymbolOperation, Start: op.Start, End: op.End, NameStart: op.Start, NameEnd: op.Start}
	if of != nil {
		s.Detail = of.Classification.String()
		if w := of.Worst(); w != nil && w.Facts.Mode != locks.None && w.Facts.Table != "" {
			s.Detail += " · " + w.Facts.Mode.String() + " on " + w.Facts.Table
		}
	}
	for _, sub := range op.Subs {
		if sub.PrimaryKey || sub.Timestamps && sub.Column == "updated_at" {
			continue
		}
		s.Children = append(s.Children, Symbol{Name: sub.Column, Detail: sub.Kind.String(), Kind: SymbolColumn,
			Start: sub.Start, End: sub.End, NameStart: sub.Start, NameEnd: sub.Start})
	}
	return s
}

func transactionDetail(m *analysis.Migration) string {
	d := "in a transaction"
	if !m.Transaction {
		d = "no transaction"
	}
	if !m.MigrationLock {
		d += ", no migration lock"
	}
	return d
}

// Hint is the lock hint of one operation.
type Hint struct {
	Start, End int
	Label      string
}

// Hints gives each operation of the up plan a one-line lock summary:
// "SHARE on users · blocks writes · scans".
func Hints(res *check.Result) []Hint {
	var out []Hint
	for _, of := range res.Up {
		w := of.Worst()
		if w == nil {
			continue
		}
		f := w.Facts
		label := of.Classification.String()
		if f.Mode != locks.None && f.Table != "" {
			label += " · " + f.Mode.String() + " on " + f.Table
		}
		switch {
		case f.TableNew:
			label += " (new table)"
		case f.BlocksReads:
			label += " · blocks reads and writes"
		case f.BlocksWrites:
			label += " · blocks writes"
		}
		switch {
		case f.Rewrites:
			label += " · rewrites"
		case f.Scans:
			label += " · scans"
		}
		if f.Fails != nil {
			label += " · fails (" + f.Fails.Code + ")"
		}
		out = append(out, Hint{Start: of.Op.Start, End: of.Op.End, Label: label})
	}
	return out
}
