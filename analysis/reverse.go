package analysis

import "fmt"

// reverseOp is Ecto's Runner.reverse/1: the command that undoes op when a
// change/0 migration is rolled back, or nil with the message Ecto raises.
func reverseOp(op *Op, display func(string) string) (*Op, string) {
	rev := *op
	rev.Queries = nil
	switch op.Kind {
	case OpCreateIndex:
		rev.Kind, rev.Mode = OpDropIndex, ""
		return &rev, ""
	case OpCreateIndexIfNotExists:
		rev.Kind, rev.Mode = OpDropIndexIfExists, ""
		return &rev, ""
	case OpDropIndex:
		rev.Kind, rev.Mode = OpCreateIndex, ""
		return &rev, ""
	case OpDropIndexIfExists:
		rev.Kind, rev.Mode = OpCreateIndexIfNotExists, ""
		return &rev, ""
	case OpRenameIndex:
		ix := *op.Index
		old := ix.Name
		ix.Name = op.NewName
		rev.Index, rev.NewName = &ix, old
		return &rev, ""
	case OpCreateTable:
		rev.Kind, rev.Mode, rev.Subs = OpDropTable, "", nil
		return &rev, ""
	case OpCreateTableIfNotExists:
		rev.Kind, rev.Mode, rev.Subs = OpDropTableIfExists, "", nil
		return &rev, ""
	case OpRenameTable:
		rev.Table, rev.NewTable = op.NewTable, op.Table
		if op.NewTable != nil && op.TableSpec != nil {
			ts := *op.TableSpec
			ts.Ref = *op.NewTable
			rev.TableSpec = &ts
		}
		return &rev, ""
	case OpRenameColumn:
		rev.OldColumn, rev.NewColumn = op.NewColumn, op.OldColumn
		return &rev, ""
	case OpAlterTable:
		subs, ok := reverseSubs(op.Subs)
		if !ok {
			return nil, display(irreversibleMessage(op))
		}
		rev.Subs = subs
		return &rev, ""
	case OpCreateConstraint:
		rev.Kind, rev.Mode = OpDropConstraint, ""
		return &rev, ""
	}
	return nil, display(irreversibleMessage(op))
}

// reverseSubs is Ecto's table_reverse/2: the reversed sub-commands in
// reverse order, or false when one cannot be reversed.
func reverseSubs(subs []*Sub) ([]*Sub, bool) {
	out := make([]*Sub, 0, len(subs))
	for i := len(subs) - 1; i >= 0; i-- {
		s := subs[i]
		r := *s
		switch s.Kind {
		case SubRemove:
			if s.Type == nil {
				return nil, false // remove/1 carries no type to add back
			}
			r.Kind = SubAdd
		case SubModify:
			from, ok := s.Opts.Get("from")
			if !ok || from.Kind == VNil {
				return nil, false
			}
			if from.Kind == VTuple && len(from.Items) == 2 && from.Items[1].IsKeyword() {
				// from: {type, opts}: the reverse restores those opts and
				// remembers the forward type and opts as its own from.
				t := from.Items[0]
				r.Type = &t
				fwd := Value{Kind: VTuple, Items: []Value{*s.Type, s.Opts.without("from")}}
				r.Opts = from.Items[1].with("from", fwd)
			} else {
				t := from
				r.Type = &t
				r.Opts = s.Opts.with("from", *s.Type)
			}
		case SubAdd:
			r.Kind = SubRemove
			r.Opts = emptyKeyword()
		default:
			return nil, false
		}
		out = append(out, &r)
	}
	return out, true
}

// irreversibleMessage is the Ecto.MigrationError Ecto raises at rollback.
func irreversibleMessage(op *Op) string {
	what := ""
	q := func(t *TableRef) string {
		if t == nil {
			return "?"
		}
		if t.Prefix != "" {
			return t.Prefix + "." + t.Name
		}
		return t.Name
	}
	switch op.Kind {
	case OpExecute:
		what = "execute " + execText(op)
	case OpExecuteFn:
		return "cannot reverse migration command: execute(fn). Ecto cannot run an anonymous function backwards; define up/0 and down/0 or use execute/2"
	case OpDropTable:
		what = "drop table " + q(op.Table) + cascade(op.Mode)
	case OpDropTableIfExists:
		what = "drop table if exists " + q(op.Table) + cascade(op.Mode)
	case OpAlterTable:
		what = "alter table " + q(op.Table)
	case OpDropConstraint:
		what = fmt.Sprintf("drop constraint %s from table %s", op.Constraint.Name, q(op.Table))
	case OpDropConstraintIfExists:
		what = fmt.Sprintf("drop constraint if exists %s from table %s", op.Constraint.Name, q(op.Table))
	default:
		what = op.Kind.String()
	}
	return "cannot reverse migration command: " + what + ". You will need to explicitly define up/0 and down/0 in your migration"
}

func cascade(mode string) string {
	if mode == "cascade" {
		return " cascade"
	}
	return ""
}

func execText(op *Op) string {
	if op.Exec != nil && op.Exec.Up != nil && op.Exec.Up.Known {
		return fmt.Sprintf("%q", op.Exec.Up.Text)
	}
	return "<sql>"
}
