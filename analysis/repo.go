package analysis

import (
	"strings"

	"github.com/lockwise/lockwise/grammar"
)

// dataChangeCalls are the repo functions that write rows.
var dataChangeCalls = map[string]bool{
	"insert_all": true, "update_all": true, "delete_all": true, "insert": true, "insert!": true,
	"update": true, "update!": true, "delete": true, "delete!": true, "insert_or_update": true,
	"insert_or_update!": true,
}

// repoCall handles repo().fun(...) and MyApp.Repo.fun(...): the call runs at
// once, before the commands still queued (Ecto does not queue it).
func (r *runner) repoCall(n *grammar.Node, e *env) Value {
	fn := n.Text
	var args []Value
	for _, a := range n.Args {
		args = append(args, r.eval(a, e))
	}
	switch fn {
	case "transaction":
		for _, a := range args {
			if a.Kind == VFunc {
				return r.applyFn(a.Fn, nil, n.Start, n.End)
			}
		}
		return dynamic(n, "transaction")
	case "config", "__adapter__", "in_transaction?", "checkout", "get_dynamic_repo":
		return dynamic(n, "repo."+fn)
	}
	op := r.newOp(OpRepo, n)
	op.Exec = &Exec{RepoCall: fn, DataChange: dataChangeCalls[fn]}
	switch fn {
	case "query", "query!":
		if len(args) >= 1 && args[0].Kind == VString {
			op.Exec.Up = sqlSource(args[0])
		} else {
			op.Exec.Up = &SQLSource{Node: n}
			op.Dynamic = true
			op.Reasons = append(op.Reasons, "the SQL is built at run time")
		}
	default:
		if len(args) >= 1 {
			switch a := args[0]; a.Kind {
			case VString:
				op.Table = &TableRef{Name: a.S, Dynamic: len(a.Holes) > 0}
			case VAtom:
				// A schema module: the table is the schema's source.
				op.Table = &TableRef{Name: a.S, Dynamic: true}
			}
		}
		op.Dynamic = true
		op.Reasons = append(op.Reasons, "Ecto builds the SQL of "+fn+" at run time")
	}
	r.runRepoOp(op)
	return dynamic(n, "repo."+fn)
}

// runRepoOp executes a repo call: inside execute(fn) its SQL belongs to that
// op; elsewhere it is an op of its own, run immediately.
func (r *runner) runRepoOp(op *Op) {
	if op.Exec.Up != nil {
		op.Queries = r.execQueries(op, op.Exec.Up)
	}
	if r.fnOp != nil {
		r.fnOp.Queries = append(r.fnOp.Queries, op.Queries...)
		if op.Exec.DataChange {
			r.fnOp.Exec.DataChange = true
		}
		if op.Dynamic {
			r.fnOp.Dynamic = true
			r.fnOp.Reasons = append(r.fnOp.Reasons, op.Reasons...)
		}
		if r.fnOp.Table == nil {
			r.fnOp.Table = op.Table
		}
		return
	}
	if r.pend != nil {
		r.problem(Note, nil, "a repo call inside a create/alter block runs before the table command")
	}
	r.emit(op)
}

// execQueries turns a SQL source into the one query Ecto sends for it.
// (Several statements in one string are still one query: Postgres rejects
// them; the analysis splits them to explain each.)
func (r *runner) execQueries(op *Op, src *SQLSource) []*Query {
	if src == nil || !src.Known {
		op.Dynamic = true
		return nil
	}
	q := &Query{SQL: src.Text, Source: src, Sub: -1, Holes: src.Holes, Dynamic: len(src.Holes) > 0}
	if src.Mapped && len(src.Decoded.Segs) > 0 {
		rg := src.Decoded.FileRange(0, len(src.Decoded.Text))
		q.Start, q.End = rg.Start, rg.End
	} else {
		q.Start, q.End = op.Start, op.End
	}
	if q.Dynamic {
		op.Dynamic = true
	}
	if strings.TrimSpace(src.Text) == "" {
		return nil
	}
	return []*Query{q}
}
