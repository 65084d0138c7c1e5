package analysis

import (
	"strings"
	"sync"

	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// StmtFacts are the lock facts of one statement of a plan.
type StmtFacts struct {
	Op    *Op
	Query *Query
	Stmt  *Statement
	Facts locks.Facts

	// memo holds what rules derived from this statement (Memo), shared by
	// the rules that run over the same migration.
	mu   sync.Mutex
	memo map[string]any
}

// Memo returns the value computed for key on this statement, computing it
// once: rules that derive the same thing from the statement (the facts of
// one of its sub-commands on its own) share the work.
func (s *StmtFacts) Memo(key string, compute func() any) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.memo[key]; ok {
		return v
	}
	v := compute()
	if s.memo == nil {
		s.memo = map[string]any{}
	}
	s.memo[key] = v
	return v
}

// OpFacts gathers the facts of an op's statements and its verdict.
type OpFacts struct {
	Op    *Op
	Stmts []*StmtFacts
	// Classification is the worst of its statements' (Unknown when the op
	// sends SQL lockwise cannot see and nothing else is known).
	Classification Classification
}

// Worst returns the statement facts with the strongest lock on their
// table, or nil when the op has no statement.
func (o *OpFacts) Worst() *StmtFacts {
	var w *StmtFacts
	for _, s := range o.Stmts {
		if w == nil || s.Facts.Mode > w.Facts.Mode {
			w = s
		}
	}
	return w
}

// ComputeFacts runs the lock model over a plan, statement by statement, in
// the order Ecto sends them.
func ComputeFacts(m *Migration, plan Plan, ctx locks.Context, cfg *RepoConfig) []*OpFacts {
	if cfg == nil {
		cfg = DefaultRepoConfig()
	}
	ctx.InTransaction = m.Transaction
	s := locks.NewSession(ctx)
	var out []*OpFacts
	for _, op := range plan.Ops {
		of := &OpFacts{Op: op}
		for _, q := range op.Queries {
			h := hintsFor(op, q, cfg)
			for _, st := range q.Statements() {
				f := s.Apply(st.Stmt, h)
				of.Stmts = append(of.Stmts, &StmtFacts{Op: op, Query: q, Stmt: st, Facts: f})
			}
		}
		if len(of.Stmts) == 0 && (op.Dynamic || op.Exec != nil && op.Exec.DataChange) {
			// Elixir code whose SQL is not visible may write rows.
			s.Unseen()
		}
		of.Classification = classifyOp(of)
		out = append(out, of)
	}
	return out
}

// classifyOp is the worst classification of the op's statements; an op
// whose SQL is not visible at all is Unknown.
func classifyOp(of *OpFacts) Classification {
	if len(of.Stmts) == 0 {
		if of.Op.Exec != nil && of.Op.Exec.DataChange {
			return Risky
		}
		if of.Op.Dynamic {
			return Unknown
		}
		return Safe
	}
	worst := Safe
	for _, s := range of.Stmts {
		c := locks.Classify(s.Facts)
		if rank(c) > rank(worst) {
			worst = c
		}
	}
	return worst
}

// rank orders classifications by how much they should worry: unknown sits
// between safe and risky.
func rank(c Classification) int {
	switch c {
	case Safe:
		return 0
	case Unknown:
		return 1
	case Risky:
		return 2
	case Dangerous:
		return 3
	}
	return 1
}

// Worse reports whether a is worse than b.
func Worse(a, b Classification) bool { return rank(a) > rank(b) }

// hintsFor passes the lock model what the Ecto command knows and its SQL
// does not say: the old type of a modified column (from:), the table of a
// dropped index, the referenced table of a dropped foreign key.
func hintsFor(op *Op, q *Query, cfg *RepoConfig) locks.Hints {
	var h locks.Hints
	if op.Table != nil && !op.Table.Dynamic {
		h.Table = pgsql.QName{Schema: op.Table.Prefix, Name: op.Table.Name}
	}
	if op.Kind != OpAlterTable {
		return h
	}
	l := &lowerer{cfg: cfg}
	for _, s := range op.Subs {
		if s.Kind == SubModify {
			if from, ok := s.Opts.Get("from"); ok && from.Kind != VNil {
				t, opts := from, emptyKeyword()
				if from.Kind == VTuple && len(from.Items) == 2 {
					t, opts = from.Items[0], from.Items[1]
				}
				var typ string
				if t.Kind == VRef {
					typ = l.referenceColumnType(t.Ref.Type, opts)
				} else if t.IsStatic() {
					typ = l.columnType(t, opts)
				}
				if typ != "" && !strings.Contains(typ, placeholderPrefix) {
					if h.OldTypes == nil {
						h.OldTypes = map[string]string{}
					}
					h.OldTypes[s.Column] = typ
				}
				if t.Kind == VRef {
					addFK(&h, l.referenceName(t.Ref, *op.Table, s.Column), t.Ref, op.Table)
				}
			}
		}
		if ref := s.Ref(); ref != nil && (s.Kind == SubRemove || s.Kind == SubRemoveIfExists || s.Kind == SubModify) {
			addFK(&h, l.referenceName(ref, *op.Table, s.Column), ref, op.Table)
		}
	}
	return h
}

func addFK(h *locks.Hints, quotedName string, ref *RefSpec, table *TableRef) {
	if h.ForeignKeys == nil {
		h.ForeignKeys = map[string]pgsql.QName{}
	}
	prefix := table.Prefix
	if ref.Prefix != nil {
		prefix = *ref.Prefix
	}
	h.ForeignKeys[strings.Trim(quotedName, `"`)] = pgsql.QName{Schema: prefix, Name: ref.Table}
}
