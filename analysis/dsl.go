package analysis

import (
	"github.com/lockwise/lockwise/grammar"
)

// doBlock returns the do block of a macro call: `x do ... end` or `x, do: ...`.
// args are the call's arguments without that keyword list.
func doBlock(n *grammar.Node) (block *grammar.Node, args []*grammar.Node) {
	args = n.Args
	if n.Do != nil {
		return n.Do, args
	}
	if k := len(args); k > 0 && args[k-1].Kind == grammar.Keywords {
		if d := args[k-1].Keyword("do"); d != nil {
			return d, args[:k-1]
		}
	}
	return nil, args
}

func (r *runner) create(n *grammar.Node, e *env) Value {
	block, args := doBlock(n)
	ifNot := n.Text == "create_if_not_exists"
	if len(args) == 0 {
		r.rejects(n, "%s needs a table, index or constraint", n.Text)
		return dynamic(n, n.Text)
	}
	v := r.eval(args[0], e)
	switch v.Kind {
	case VTable:
		kind := OpCreateTable
		if ifNot {
			kind = OpCreateTableIfNotExists
		}
		op := r.newOp(kind, n)
		op.TableSpec = v.Table
		op.Table = &v.Table.Ref
		if v.Table.Ref.Dynamic {
			op.Dynamic = true
		}
		r.addPrimaryKey(op, v.Table, n)
		if block != nil {
			r.runBlock(op, block, e)
		}
		r.enqueue(op, n)
		return v
	case VIndex:
		if block != nil {
			r.rejects(n, "%s with a do block needs a table", n.Text)
		}
		kind := OpCreateIndex
		if ifNot {
			kind = OpCreateIndexIfNotExists
		}
		op := r.newOp(kind, n)
		op.Index = v.Index
		op.Table = &v.Index.Table
		op.Dynamic = v.Index.Dynamic
		r.enqueue(op, n)
		return v
	case VConstraint:
		if ifNot {
			// create_if_not_exists/1 has no constraint clause in ecto_sql 3.13.
			r.rejects(n, "Ecto has no create_if_not_exists for constraints (FunctionClauseError)")
			return v
		}
		op := r.newOp(OpCreateConstraint, n)
		op.Constraint = v.Constraint
		op.Table = &v.Constraint.Table
		op.Dynamic = v.Constraint.Dynamic
		if v.Constraint.Check == nil && v.Constraint.Exclude == nil && !v.Constraint.Dynamic {
			r.rejects(n, "a constraint must have either a check or exclude option (Ecto raises ArgumentError)")
		}
		if v.Constraint.Check != nil && v.Constraint.Exclude != nil {
			r.rejects(n, "a constraint must not have both check and exclude options (Ecto raises ArgumentError)")
		}
		r.enqueue(op, n)
		return v
	}
	op := r.newOp(OpUnknown, n)
	op.Dynamic = true
	op.Reasons = append(op.Reasons, "the object given to "+n.Text+" is not known statically")
	if block != nil {
		r.runBlock(op, block, e)
	}
	r.enqueue(op, n)
	return v
}

// runBlock runs the do block of create/alter table, collecting sub-commands.
func (r *runner) runBlock(op *Op, block *grammar.Node, e *env) {
	if r.pend != nil {
		r.rejects(block, "Ecto raises \"cannot execute nested commands\"")
		return
	}
	r.pend = op
	r.eval(block, e)
	r.pend = nil
}

// addPrimaryKey adds the default primary key column (Ecto.Migration.__primary_key__).
func (r *runner) addPrimaryKey(op *Op, t *TableSpec, n *grammar.Node) {
	var opts Value
	switch pk := t.PrimaryKey; {
	case pk.Kind == VBool && pk.S == "false":
		return
	case pk.Kind == VBool && pk.S == "true":
		cfg := r.cfg.PrimaryKey
		if cfg.Kind == VBool && cfg.S == "false" {
			return
		}
		opts = cfg
		if !opts.IsKeyword() {
			opts = emptyKeyword()
		}
	case pk.IsKeyword():
		opts = pk
	default:
		op.Dynamic = true
		op.Reasons = append(op.Reasons, "primary_key option not known statically")
		return
	}
	opts = opts.with("primary_key", Value{Kind: VBool, S: "true"})
	name := Value{Kind: VAtom, S: "id"}
	if v, ok := opts.Get("name"); ok {
		name = v
		opts = opts.without("name")
	}
	typ := Value{Kind: VAtom, S: "bigserial"}
	if v, ok := opts.Get("type"); ok {
		typ = v
		opts = opts.without("type")
	}
	col, _ := name.Text()
	s := &Sub{Kind: SubAdd, Column: col, Type: &typ, Opts: opts, Start: n.Start, End: n.End, PrimaryKey: true}
	s.Dynamic = !name.IsStatic() || !typ.IsStatic()
	op.Subs = append(op.Subs, s)
}

func (r *runner) alter(n *grammar.Node, e *env) Value {
	block, args := doBlock(n)
	if len(args) == 0 || block == nil {
		r.rejects(n, "alter needs a table and a do block")
		return dynamic(n, "alter")
	}
	v := r.eval(args[0], e)
	op := r.newOp(OpAlterTable, n)
	if v.Kind == VTable {
		op.TableSpec = v.Table
		op.Table = &v.Table.Ref
		op.Dynamic = v.Table.Ref.Dynamic
	} else {
		op.Dynamic = true
		op.Reasons = append(op.Reasons, "the table is not known statically")
	}
	r.runBlock(op, block, e)
	r.enqueue(op, n)
	return Value{Kind: VNil}
}

func (r *runner) drop(n *grammar.Node, e *env) Value {
	if len(n.Args) == 0 {
		return dynamic(n, n.Text)
	}
	v := r.eval(n.Args[0], e)
	mode := ""
	if len(n.Args) >= 2 {
		opts := r.eval(n.Args[1], e)
		if m, ok := opts.Get("mode"); ok {
			switch {
			case m.Kind == VAtom && m.S == "cascade":
				mode = "cascade"
			case m.Kind == VAtom && m.S == "restrict":
			default:
				r.rejects(n, "unknown drop mode %s", m.Elixir())
			}
		}
	}
	ifExists := n.Text == "drop_if_exists"
	var op *Op
	switch v.Kind {
	case VTable:
		op = r.newOp(pick(ifExists, OpDropTableIfExists, OpDropTable), n)
		op.TableSpec = v.Table
		op.Table = &v.Table.Ref
		op.Dynamic = v.Table.Ref.Dynamic
	case VIndex:
		op = r.newOp(pick(ifExists, OpDropIndexIfExists, OpDropIndex), n)
		op.Index = v.Index
		op.Table = &v.Index.Table
		op.Dynamic = v.Index.Dynamic
	case VConstraint:
		op = r.newOp(pick(ifExists, OpDropConstraintIfExists, OpDropConstraint), n)
		op.Constraint = v.Constraint
		op.Table = &v.Constraint.Table
		op.Dynamic = v.Constraint.Dynamic
	case VDynamic, VMap, VRef, VFragment, VRepo:
		op = r.newOp(OpUnknown, n)
		op.Dynamic = true
		op.Reasons = append(op.Reasons, "the object given to "+n.Text+" is not known statically")
	default:
		// drop(:col) in an alter block: drop/2 only takes a map (the
		// column removal is remove/1).
		r.rejects(n, "Ecto raises FunctionClauseError: no function clause matching in Ecto.Migration.%s/2 (%s is not a table(...), index(...) or constraint(...))", n.Text, v.Elixir())
		return v
	}
	op.Mode = mode
	r.enqueue(op, n)
	return v
}

func pick(c bool, a, b OpKind) OpKind {
	if c {
		return a
	}
	return b
}

func (r *runner) rename(n *grammar.Node, e *env) Value {
	args := n.Args
	if len(args) < 2 {
		r.rejects(n, "rename needs `to:`")
		return dynamic(n, "rename")
	}
	first := r.eval(args[0], e)
	last := r.eval(args[len(args)-1], e)
	to, ok := last.Get("to")
	if !ok {
		r.rejects(n, "rename needs `to:`")
		return dynamic(n, "rename")
	}
	switch {
	case len(args) == 2 && first.Kind == VTable && to.Kind == VTable:
		op := r.newOp(OpRenameTable, n)
		op.TableSpec = first.Table
		op.Table = &first.Table.Ref
		op.NewTable = &to.Table.Ref
		op.Dynamic = first.Table.Ref.Dynamic || to.Table.Ref.Dynamic
		r.enqueue(op, n)
		return to
	case len(args) == 2 && first.Kind == VIndex:
		op := r.newOp(OpRenameIndex, n)
		op.Index = first.Index
		op.Table = &first.Index.Table
		name, ok := to.Text()
		op.NewName = name
		op.Dynamic = first.Index.Dynamic || !ok
		r.enqueue(op, n)
		return first
	case len(args) == 3 && first.Kind == VTable:
		col := r.eval(args[1], e)
		op := r.newOp(OpRenameColumn, n)
		op.TableSpec = first.Table
		op.Table = &first.Table.Ref
		op.OldColumn, _ = col.Text()
		op.NewColumn, _ = to.Text()
		op.Dynamic = first.Table.Ref.Dynamic || col.Kind != VAtom || to.Kind != VAtom
		if col.Kind == VString || to.Kind == VString {
			r.rejects(n, "rename/3 takes atoms for the column names (a string raises FunctionClauseError)")
		}
		r.enqueue(op, n)
		return first
	}
	if plainTerm(first) {
		// rename(:col, to: :new) in an alter block: no clause takes a
		// plain term (the column rename is rename(table, :col, to: :new)).
		r.rejects(n, "Ecto raises FunctionClauseError: no function clause matching in Ecto.Migration.rename/%d (%s is not a table(...) or index(...))", len(args), first.Elixir())
		return dynamic(n, "rename")
	}
	op := r.newOp(OpUnknown, n)
	op.Dynamic = true
	op.Reasons = append(op.Reasons, "rename of an object not known statically")
	r.enqueue(op, n)
	return dynamic(n, "rename")
}

// plainTerm reports whether v is known to be a term that is not a map or
// struct (an atom, a string, a number, a list...): what no clause of the
// DSL commands that take table(...), index(...) or constraint(...) matches.
func plainTerm(v Value) bool {
	switch v.Kind {
	case VNil, VBool, VInt, VFloat, VAtom, VString, VList, VTuple, VFunc, VBits:
		return true
	}
	return false
}

func (r *runner) execute(n *grammar.Node, e *env) Value {
	args := n.Args
	if len(args) == 0 || len(args) > 2 {
		r.rejects(n, "execute takes one or two arguments")
		return dynamic(n, "execute")
	}
	up := r.eval(args[0], e)
	var down *Value
	if len(args) == 2 {
		d := r.eval(args[1], e)
		down = &d
	}
	op := r.newOp(OpExecute, n)
	op.Exec = &Exec{}
	switch {
	case up.Kind == VFunc:
		op.Kind = OpExecuteFn
		op.Exec.FnValue = up.Fn
	case up.Kind == VString:
		op.Exec.Up = sqlSource(up)
	case up.IsKeyword() && len(up.Keys) > 0:
		r.rejects(n, "PostgreSQL adapter does not support keyword lists in execute")
		op.Dynamic = true
	default:
		op.Exec.Up = &SQLSource{Node: args[0]}
		op.Dynamic = true
		op.Reasons = append(op.Reasons, "the SQL is built at run time")
	}
	if down != nil {
		switch {
		case down.Kind == VFunc:
			op.Exec.DownFn = down.Fn
			op.Exec.HasDown = true
		case down.Kind == VString:
			op.Exec.Down = sqlSource(*down)
			op.Exec.HasDown = true
		default:
			op.Exec.Down = &SQLSource{Node: args[1]}
			op.Exec.HasDown = true
		}
	}
	r.enqueue(op, n)
	return Value{Kind: VAtom, S: "ok"}
}

// sqlSource wraps a string value written (or built) in the file.
func sqlSource(v Value) *SQLSource {
	s := &SQLSource{Node: v.Node, Known: true, Static: len(v.Holes) == 0, Text: v.S, Holes: v.Holes}
	if v.Dec != nil {
		s.Decoded = *v.Dec
		s.Mapped = true
	}
	return s
}

// subcommand records add/modify/remove inside a create/alter block.
func (r *runner) subcommand(n *grammar.Node, e *env) {
	if r.pend == nil {
		r.rejects(n, "Ecto raises \"cannot execute command outside of block\": %s must be inside create table/alter table", n.Text)
		return
	}
	args := n.Args
	if len(args) == 0 {
		return
	}
	col := r.eval(args[0], e)
	s := &Sub{Start: n.Start, End: n.End, Opts: emptyKeyword()}
	switch col.Kind {
	case VAtom:
		s.Column = col.S
	case VString:
		s.Column = col.S
		r.rejects(n, "%s takes an atom column name (a string raises FunctionClauseError)", n.Text)
	default:
		s.Dynamic = true
	}
	var rest []Value
	for _, a := range args[1:] {
		rest = append(rest, r.eval(a, e))
	}
	switch n.Text {
	case "add", "add_if_not_exists", "modify":
		s.Kind = map[string]SubKind{"add": SubAdd, "add_if_not_exists": SubAddIfNotExists, "modify": SubModify}[n.Text]
		if len(rest) == 0 {
			r.rejects(n, "%s needs a type", n.Text)
			return
		}
		t := rest[0]
		s.Type = &t
		if len(rest) >= 2 {
			s.Opts = rest[1]
		}
	case "remove":
		s.Kind = SubRemove
		if len(rest) >= 1 {
			t := rest[0]
			s.Type = &t
		}
		if len(rest) >= 2 {
			s.Opts = rest[1]
		}
	case "remove_if_exists":
		s.Kind = SubRemoveIfExists
		if len(rest) >= 1 {
			t := rest[0]
			s.Type = &t
		}
	}
	if s.Type != nil {
		r.checkType(n, *s.Type)
		if !s.Type.IsStatic() {
			s.Dynamic = true
		}
	}
	if !s.Opts.IsKeyword() {
		s.Dynamic = true
		s.Opts = emptyKeyword()
	} else if !s.Opts.IsStatic() {
		s.Dynamic = true
	}
	if s.Opts.Has("scale") && !s.Opts.Has("precision") {
		r.rejects(n, "column %s is missing precision option (Ecto raises ArgumentError)", s.Column)
	}
	r.pend.Subs = append(r.pend.Subs, s)
	if s.Dynamic {
		r.pend.Dynamic = true
	}
}

// checkType mirrors Ecto's validate_type!.
func (r *runner) checkType(n *grammar.Node, t Value) {
	switch t.Kind {
	case VAtom:
		if t.Node != nil && t.Node.Kind == grammar.Alias {
			r.rejects(n, "invalid migration type %s: Ecto types such as schema modules are not allowed (use the underlying type)", t.S)
			return
		}
		if t.S == "datetime" {
			r.rejects(n, "the :datetime type in migrations is not supported, please use :utc_datetime or :naive_datetime instead")
		}
		if len(t.S) > 7 && t.S[:7] == "Elixir." {
			r.rejects(n, "invalid migration type %s: Ecto types such as schema modules are not allowed", t.S)
		}
	case VString:
		r.rejects(n, "invalid migration type %q: a type must be an atom such as :string", t.S)
	}
}

// timestamps adds inserted_at/updated_at (Ecto.Migration.timestamps/1).
func (r *runner) timestamps(n *grammar.Node, e *env) {
	if r.pend == nil {
		r.rejects(n, "Ecto raises \"cannot execute command outside of block\": timestamps must be inside create table/alter table")
		return
	}
	opts := emptyKeyword()
	if len(n.Args) >= 1 {
		opts = r.eval(n.Args[0], e)
	}
	dyn := !opts.IsKeyword() || !opts.IsStatic()
	if !opts.IsKeyword() {
		opts = emptyKeyword()
	}
	opts = r.cfg.Timestamps.merge(opts)
	if !opts.Has("null") {
		opts = opts.merge(Value{Kind: VList, Keys: []string{"null"}, Items: []Value{{Kind: VBool, S: "false"}}})
	}
	typ := Value{Kind: VAtom, S: "naive_datetime"}
	if v, ok := opts.Get("type"); ok {
		typ = v
		opts = opts.without("type")
	}
	ins := Value{Kind: VAtom, S: "inserted_at"}
	if v, ok := opts.Get("inserted_at"); ok {
		ins = v
		opts = opts.without("inserted_at")
	}
	upd := Value{Kind: VAtom, S: "updated_at"}
	if v, ok := opts.Get("updated_at"); ok {
		upd = v
		opts = opts.without("updated_at")
	}
	for _, name := range []Value{ins, upd} {
		if name.Kind == VBool && name.S == "false" {
			continue
		}
		t := typ
		s := &Sub{Kind: SubAdd, Type: &t, Opts: opts, Start: n.Start, End: n.End, Timestamps: true, Dynamic: dyn}
		if col, ok := name.Text(); ok {
			s.Column = col
		} else {
			s.Dynamic = true
		}
		r.pend.Subs = append(r.pend.Subs, s)
	}
	if dyn {
		r.pend.Dynamic = true
	}
}
