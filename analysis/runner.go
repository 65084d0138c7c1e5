package analysis

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lockwise/lockwise/analysis/pgsql"
	"github.com/lockwise/lockwise/grammar"
)

// placeholderPrefix starts the identifiers that stand for interpolations in
// SQL text; analysis/pgsql recognises them as dynamic.
const placeholderPrefix = pgsql.PlaceholderPrefix

// runner interprets migration callbacks the way Ecto's runner executes
// them: commands are queued and executed at flush (reversed when rolling
// back change/0), repo calls run at once.
type runner struct {
	m     *Migration
	src   []byte
	cfg   *RepoConfig
	mods  []*module
	main  *module
	dir   Direction
	back  bool // running change/0 backwards
	plan  *Plan
	queue []*Op
	cb    string
	pend  *Op // create/alter table whose block is running
	// deferred are commands a syntax error nested inside pend's block.
	deferred []*Op
	fnOp     *Op // execute(fn) being run at flush
	via      []grammar.Range
	depth    int
	reason   []string // why ops are conditional or repeated (innermost last)
	cond     int
	rep      int
	holes    int
	// holeMap remembers the Elixir source of every placeholder.
	holeMap map[string]Hole
	steps   int
	// maxSteps bounds the work on one file (loops over long static lists,
	// deep helper chains): past it the file is reported as partially analysed.
	maxSteps int
	halted   bool
	gaveUp   bool
	problems *[]Problem
	// problemsList collects the problems of this run.
	problemsList []Problem
	// unknownCalls counts calls into code lockwise cannot follow.
	unknownCalls int
	// calls are the helper functions being inlined (to see recursion).
	calls []activeCall
}

// rejects records a construct Ecto raises on.
func (r *runner) rejects(n *grammar.Node, format string, args ...any) {
	r.problem(Rejected, n, format, args...)
}

// cannotFollow records code whose effect lockwise cannot know.
func (r *runner) cannotFollow(n *grammar.Node, format string, args ...any) {
	r.problem(Unfollowed, n, format, args...)
}

func (r *runner) problem(kind ProblemKind, n *grammar.Node, format string, args ...any) {
	p := Problem{Kind: kind, Message: fmt.Sprintf(format, args...), Direction: r.dir}
	if n != nil {
		p.Start, p.End = n.Start, n.End
	}
	for _, q := range *r.problems {
		if q == p {
			return
		}
	}
	*r.problems = append(*r.problems, p)
}

func (r *runner) giveUp(n *grammar.Node) {
	if !r.gaveUp {
		r.gaveUp = true
		r.cannotFollow(n, "the file is too complex to follow completely (loops or helpers too deep); later operations are not analysed")
	}
	r.halted = true
}

// newOp starts an op at node n with the current context.
func (r *runner) newOp(kind OpKind, n *grammar.Node) *Op {
	op := &Op{Kind: kind, Callback: r.cb, Reversed: r.back}
	if n != nil {
		op.Start, op.End = n.Start, n.End
	}
	if len(r.via) > 0 {
		op.Via = append([]grammar.Range(nil), r.via...)
	}
	if r.cond > 0 {
		op.Conditional = true
	}
	if r.rep > 0 {
		op.Repeated = true
	}
	op.Reasons = append(op.Reasons, r.reason...)
	return op
}

// enqueue queues an Ecto command (Runner.execute).
func (r *runner) enqueue(op *Op, n *grammar.Node) {
	if r.pend != nil {
		if r.brokenAround(r.pend) {
			// In a file being typed, a missing `end` makes the parser nest the
			// next commands inside the block: keep them, after the block.
			r.deferred = append(r.deferred, op)
			return
		}
		r.rejects(n, "Ecto raises \"cannot execute nested commands\": %s inside a create/alter block", op.Kind)
		return
	}
	r.queue = append(r.queue, op)
	if len(r.deferred) > 0 && r.pend == nil {
		d := r.deferred
		r.deferred = nil
		r.queue = append(r.queue, d...)
	}
}

// brokenAround reports whether a syntax error follows the start of op: the
// missing `end` that made the parser nest the next commands inside op's
// block may be reported as far as the end of the file.
func (r *runner) brokenAround(op *Op) bool {
	for _, e := range r.m.File.Errors {
		if e.End >= op.Start {
			return true
		}
	}
	return false
}

// flush executes the queued commands (Runner.flush).
func (r *runner) flush() {
	q := r.queue
	r.queue = nil
	if r.back {
		for i := len(q) - 1; i >= 0 && !r.halted; i-- {
			r.runBackward(q[i])
		}
		return
	}
	for _, op := range q {
		if r.halted {
			return
		}
		r.runForward(op)
	}
}

func (r *runner) runForward(op *Op) {
	if op.Kind == OpExecuteFn {
		r.runFn(op, op.Exec.FnValue, false)
		return
	}
	if op.Kind == OpExecute && op.Exec != nil && op.Exec.Up != nil {
		op.Queries = r.execQueries(op, op.Exec.Up)
	} else {
		r.lower(op)
	}
	r.emit(op)
}

// lower computes op's SQL and records what Ecto would reject.
func (r *runner) lower(op *Op) {
	for _, p := range lower(op, r.cfg, r.holeFor) {
		r.problem(p.Kind, &grammar.Node{Start: op.Start, End: op.End}, "%s", p.Message)
	}
}

// display shows the placeholders of s as the Elixir they stand for.
func (r *runner) display(s string) string { return r.m.Display(s) }

// emit appends an executed op to the plan.
func (r *runner) emit(op *Op) {
	r.markHoles(op)
	r.plan.Ops = append(r.plan.Ops, op)
}

// markHoles attaches to each query the holes whose placeholders it holds.
func (r *runner) markHoles(op *Op) {
	for _, q := range op.Queries {
		if !strings.Contains(q.SQL, placeholderPrefix) {
			continue
		}
		q.Dynamic = true
		op.Dynamic = true
		for ph, h := range r.holeMap {
			if strings.Contains(q.SQL, ph) && !hasHole(q.Holes, ph) {
				q.Holes = append(q.Holes, h)
			}
		}
		sort.Slice(q.Holes, func(i, j int) bool {
			return strings.Index(q.SQL, q.Holes[i].Placeholder) < strings.Index(q.SQL, q.Holes[j].Placeholder)
		})
		for _, h := range q.Holes {
			why := h.Source + " is not known statically"
			if !containsString(op.Reasons, why) {
				op.Reasons = append(op.Reasons, why)
			}
		}
	}
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func hasHole(hs []Hole, ph string) bool {
	for _, h := range hs {
		if h.Placeholder == ph {
			return true
		}
	}
	return false
}

func (r *runner) runBackward(op *Op) {
	// execute(up, down): the down leg runs.
	if op.Kind == OpExecute && op.Exec != nil && op.Exec.Down != nil {
		down := *op
		down.Reversed = true
		down.Exec = &Exec{Up: op.Exec.Down}
		down.Queries = r.execQueries(&down, op.Exec.Down)
		r.emit(&down)
		return
	}
	if op.Kind == OpExecuteFn && op.Exec != nil && op.Exec.DownFn != nil {
		down := *op
		down.Reversed = true
		r.runFn(&down, op.Exec.DownFn, true)
		return
	}
	rev, why := reverseOp(op, r.display)
	if rev == nil {
		r.plan.Irreversible = &Irreversible{Reason: why, Start: op.Start, End: op.End}
		r.halted = true
		return
	}
	rev.Reversed = true
	r.lower(rev)
	r.emit(rev)
}

// runFn runs the body of execute(fn) at flush time: repo calls inside it
// become the op's queries.
func (r *runner) runFn(op *Op, fn *fnValue, _ bool) {
	r.plan.Ops = append(r.plan.Ops, op)
	defer r.markHoles(op)
	if fn == nil {
		op.Dynamic = true
		op.Reasons = append(op.Reasons, "function not known")
		return
	}
	prev := r.fnOp
	r.fnOp = op
	unknown := r.unknownCalls
	r.applyFn(fn, nil, op.Start, op.End)
	r.fnOp = prev
	// A function that called code lockwise cannot follow may run SQL it
	// does not see; one that only ran known code (or nothing) is known.
	if r.unknownCalls > unknown && len(op.Queries) == 0 {
		op.Dynamic = true
		op.Reasons = append(op.Reasons, "the function's SQL is not visible")
	}
}

// applyFn calls a function value with args.
func (r *runner) applyFn(fn *fnValue, args []Value, start, end int) Value {
	if fn.body != nil {
		for _, clause := range fn.body.Args {
			if clause.Kind != grammar.Stab {
				continue
			}
			e := newEnv(fn.env.mod, fn.env)
			for i, p := range clause.Args {
				if i < len(args) {
					r.bind(p, args[i], e)
				} else {
					r.bind(p, dynamic(p, "argument"), e)
				}
			}
			return r.eval(clause.Do, e)
		}
		return Value{Kind: VNil}
	}
	mod := fn.env.mod
	if fn.module != "" {
		mod = r.moduleNamed(fn.module)
		if mod == nil {
			return dynamic(nil, "function "+fn.module+"."+fn.name)
		}
	}
	if mod == nil {
		return dynamic(nil, "function "+fn.name)
	}
	site := &grammar.Node{Kind: grammar.Call, Start: start, End: end, Text: fn.name}
	return r.callLocal(mod, fn.name, args, site)
}

func (r *runner) moduleNamed(name string) *module {
	for _, m := range r.mods {
		if m.name == name {
			return m
		}
	}
	return nil
}

// call evaluates a call: the migration DSL, control flow, helpers, repo calls.
func (r *runner) call(n *grammar.Node, e *env) Value {
	if r.halted {
		return dynamic(n, "halted")
	}
	if n.Target != nil {
		return r.remoteCall(n, e)
	}
	args := n.Args
	// A trailing do-block is the keyword argument do: for if/unless/for/create/alter.
	switch n.Text {
	case "create", "create_if_not_exists":
		return r.create(n, e)
	case "alter":
		return r.alter(n, e)
	case "drop", "drop_if_exists":
		return r.drop(n, e)
	case "rename":
		return r.rename(n, e)
	case "execute":
		return r.execute(n, e)
	case "execute_file":
		// The SQL is read from a file at run time; execute_file/2 is
		// reversible like execute/2.
		op := r.newOp(OpExecute, n)
		op.Dynamic = true
		op.Reasons = append(op.Reasons, "execute_file reads its SQL from a file at run time")
		op.Exec = &Exec{Up: &SQLSource{Node: n}}
		if len(n.Args) == 2 {
			op.Exec.Down = &SQLSource{Node: n.Args[1]}
			op.Exec.HasDown = true
		}
		r.enqueue(op, n)
		return Value{Kind: VNil}
	case "flush":
		if r.back {
			r.plan.Irreversible = &Irreversible{Reason: "calling flush() inside change when doing rollback is not supported.", Start: n.Start, End: n.End}
			r.halted = true
			return Value{Kind: VNil}
		}
		r.flush()
		return Value{Kind: VNil}
	case "add", "add_if_not_exists", "modify", "remove", "remove_if_exists":
		r.subcommand(n, e)
		return Value{Kind: VNil}
	case "timestamps":
		r.timestamps(n, e)
		return Value{Kind: VNil}
	case "table":
		return r.tableValue(n, e)
	case "index", "unique_index":
		return r.indexValue(n, e)
	case "references":
		return r.refValue(n, e)
	case "constraint":
		return r.constraintValue(n, e)
	case "fragment":
		if len(args) == 1 {
			v := r.eval(args[0], e)
			if v.Kind == VString && len(v.Holes) == 0 {
				return Value{Kind: VFragment, S: v.S, Node: n}
			}
		}
		return dynamic(n, "fragment")
	case "repo":
		return Value{Kind: VRepo, Node: n}
	case "direction":
		if r.dir == Down {
			return Value{Kind: VAtom, S: "down", Node: n}
		}
		return Value{Kind: VAtom, S: "up", Node: n}
	case "prefix":
		return dynamic(n, "prefix() is the migrator's --prefix option")
	case "if", "unless":
		return r.ifCall(n, e)
	case "case":
		return r.caseCall(n, e)
	case "cond":
		return r.condCall(n, e)
	case "for":
		return r.forCall(n, e)
	case "with":
		return r.withCall(n, e)
	case "try":
		if n.Do != nil {
			return r.eval(n.Do, e)
		}
		return dynamic(n, "try")
	case "to_string":
		if len(args) == 1 {
			v := r.eval(args[0], e)
			switch v.Kind {
			case VString, VAtom, VInt, VFloat, VBool:
				return Value{Kind: VString, S: v.S, Node: n, Holes: v.Holes}
			case VNil:
				return Value{Kind: VString, Node: n}
			}
		}
		return dynamic(n, "to_string")
	case "is_nil":
		if len(args) == 1 {
			v := r.eval(args[0], e)
			if v.Kind != VDynamic {
				return boolValue(v.Kind == VNil, n)
			}
		}
		return dynamic(n, "is_nil")
	case "raise":
		return dynamic(n, "raise")
	case "import", "require", "alias", "use", "__MODULE__", "__ENV__":
		return dynamic(n, n.Text)
	}
	// A helper function of the module.
	if e != nil && e.mod != nil && len(e.mod.funcs[n.Text]) > 0 {
		vals := make([]Value, len(args))
		for i, a := range args {
			vals[i] = r.eval(a, e)
		}
		return r.callLocal(e.mod, n.Text, vals, n)
	}
	r.unknownCalls++
	return dynamic(n, "call "+n.Text)
}

// callLocal inlines a function of mod with already evaluated arguments.
func (r *runner) callLocal(mod *module, name string, args []Value, site *grammar.Node) Value {
	clauses := mod.lookup(name, len(args))
	if len(clauses) == 0 {
		return dynamic(site, "call "+name)
	}
	for _, active := range r.calls {
		if active.name == mod.name+"."+name {
			// Recursion is a loop: its body was analysed on the first call;
			// what that call ran is repeated.
			r.markRepeated(active, fmt.Sprintf("repeated by the recursion of %s/%d", name, len(args)))
			return dynamic(site, "recursion")
		}
	}
	if r.depth >= maxDepth {
		r.cannotFollow(site, "helper %s is called too deeply: its operations are not analysed further", name)
		return dynamic(site, "recursion")
	}
	r.calls = append(r.calls, activeCall{name: mod.name + "." + name, planLen: len(r.plan.Ops), queueLen: len(r.queue)})
	defer func() { r.calls = r.calls[:len(r.calls)-1] }()
	f := pickClause(clauses, args)
	e := newEnv(mod, nil)
	for i, p := range f.params {
		v := dynamic(p, "argument")
		switch {
		case i < len(args):
			v = args[i]
		case f.defaults[i] != nil:
			v = r.eval(f.defaults[i], newEnv(mod, nil))
		}
		r.bind(p, v, e)
	}
	r.depth++
	r.via = append(r.via, grammar.Range{Start: site.Start, End: site.End})
	v := r.eval(f.body, e)
	r.via = r.via[:len(r.via)-1]
	r.depth--
	return v
}

// pickClause chooses the first clause whose literal patterns match args.
func pickClause(clauses []*funcDef, args []Value) *funcDef {
	for _, f := range clauses {
		ok := true
		for i, p := range f.params {
			if i >= len(args) {
				break
			}
			if !patternMayMatch(p, args[i]) {
				ok = false
				break
			}
		}
		if ok {
			return f
		}
	}
	return clauses[0]
}

func patternMayMatch(p *grammar.Node, v Value) bool {
	if v.Kind == VDynamic {
		return true
	}
	switch p.Kind {
	case grammar.Atom:
		return v.Kind == VAtom && v.S == p.Text
	case grammar.Boolean:
		return v.Kind == VBool && v.S == p.Text
	case grammar.Nil:
		return v.Kind == VNil
	case grammar.Integer:
		s, _ := normalizeInt(p.Text)
		return v.Kind == VInt && v.S == s
	case grammar.String:
		if t, ok := p.Str.Value(); ok {
			return v.Kind == VString && v.S == t
		}
	}
	return true
}

// remoteCall handles Mod.fun(...) and expr.fun(...).
func (r *runner) remoteCall(n *grammar.Node, e *env) Value {
	// f.(args): calling an anonymous function value.
	if n.Text == "" {
		fv := r.eval(n.Target, e)
		if fv.Kind == VFunc {
			var args []Value
			for _, a := range n.Args {
				args = append(args, r.eval(a, e))
			}
			return r.applyFn(fv.Fn, args, n.Start, n.End)
		}
		return dynamic(n, "anonymous call")
	}
	if n.Target.Kind == grammar.Alias {
		mod := r.resolveAlias(n.Target.Text, e)
		if isRepoModule(mod) {
			return r.repoCall(n, e)
		}
		if m := r.moduleNamed(mod); m != nil && len(m.funcs[n.Text]) > 0 {
			vals := make([]Value, len(n.Args))
			for i, a := range n.Args {
				vals[i] = r.eval(a, e)
			}
			return r.callLocal(m, n.Text, vals, n)
		}
		return r.stdlibCall(mod, n, e)
	}
	if n.Target.Kind == grammar.Atom {
		// Erlang modules (:timer.sleep, :io.format): no migration effect.
		return dynamic(n, ":"+n.Target.Text+"."+n.Text)
	}
	recv := r.eval(n.Target, e)
	if recv.Kind == VRepo {
		return r.repoCall(n, e)
	}
	return dynamic(n, "call ."+n.Text)
}

func isRepoModule(name string) bool {
	return name == "Repo" || strings.HasSuffix(name, ".Repo") || strings.HasSuffix(name, "Repo") && !strings.Contains(name, "Ecto.")
}

// stdlibCall covers the standard-library functions that appear in
// migrations; anything else is unknown.
func (r *runner) stdlibCall(mod string, n *grammar.Node, e *env) Value {
	fn := n.Text
	args := n.Args
	switch mod {
	case "Ecto.Migration":
		c := *n
		c.Target = nil
		return r.call(&c, e)
	case "Enum":
		return r.enumCall(n, e)
	case "Ecto.Adapters.SQL":
		if (fn == "query!" || fn == "query") && len(args) >= 2 {
			c := *n
			c.Args = args[1:]
			return r.repoCall(&c, e)
		}
	case "Atom":
		if fn == "to_string" && len(args) == 1 {
			v := r.eval(args[0], e)
			if v.Kind == VAtom {
				return Value{Kind: VString, S: v.S, Node: n}
			}
		}
	case "String":
		if len(args) >= 1 {
			v := r.eval(args[0], e)
			if v.Kind == VString && len(v.Holes) == 0 {
				switch fn {
				case "to_atom", "to_existing_atom":
					return Value{Kind: VAtom, S: v.S, Node: n}
				case "upcase":
					return Value{Kind: VString, S: strings.ToUpper(v.S), Node: n}
				case "downcase":
					return Value{Kind: VString, S: strings.ToLower(v.S), Node: n}
				case "trim":
					return Value{Kind: VString, S: strings.TrimSpace(v.S), Node: n}
				}
			}
		}
	case "Logger", "IO", "Mix.shell", "Process":
		return Value{Kind: VNil, Node: n}
	}
	// Unknown code may queue commands or run SQL lockwise cannot see.
	for _, a := range args {
		if a.Kind == grammar.AnonFn {
			r.eval(a, e)
		}
	}
	r.unknownCalls++
	return dynamic(n, unknownCall+mod+"."+fn)
}

// unknownCall starts the Why of calls into code lockwise cannot follow.
const unknownCall = "unknown call: "

// enumCall unrolls Enum.each/map/flat_map/reduce over static lists.
func (r *runner) enumCall(n *grammar.Node, e *env) Value {
	switch n.Text {
	case "each", "map", "flat_map", "reduce", "each_with_index", "with_index":
	default:
		return dynamic(n, "Enum."+n.Text)
	}
	if len(n.Args) < 2 {
		return dynamic(n, "Enum."+n.Text)
	}
	list := r.eval(n.Args[0], e)
	fnNode := n.Args[len(n.Args)-1]
	fv := r.eval(fnNode, e)
	if fv.Kind != VFunc {
		return dynamic(n, "Enum."+n.Text)
	}
	var acc Value
	if n.Text == "reduce" && len(n.Args) == 3 {
		acc = r.eval(n.Args[1], e)
	}
	items, known := iterItems(list)
	r.rep++
	r.reason = append(r.reason, fmt.Sprintf("repeated by Enum.%s at line %d", n.Text, r.m.Lines.Line(n.Start)+1))
	defer func() { r.rep--; r.reason = r.reason[:len(r.reason)-1] }()
	if !known {
		// One pass with an unknown element: the operations are real but their
		// names and count are not known.
		args := []Value{dynamic(n.Args[0], "loop element")}
		if n.Text == "reduce" {
			args = append(args, dynamic(n.Args[0], "accumulator"))
		}
		r.dynamicOps(func() { r.applyFn(fv.Fn, args, n.Start, n.End) }, "loops over a list not known statically")
		return dynamic(n, "Enum."+n.Text)
	}
	var out []Value
	for i, it := range items {
		args := []Value{it}
		if n.Text == "reduce" {
			args = append(args, acc)
		}
		if n.Text == "each_with_index" {
			args = []Value{it, {Kind: VInt, S: fmt.Sprint(i)}}
		}
		v := r.applyFn(fv.Fn, args, n.Start, n.End)
		if n.Text == "reduce" {
			acc = v
		}
		out = append(out, v)
		if r.halted {
			break
		}
	}
	if n.Text == "reduce" {
		return acc
	}
	if n.Text == "map" {
		return Value{Kind: VList, Items: out, Node: n}
	}
	return Value{Kind: VAtom, S: "ok", Node: n}
}

// iterItems lists the elements of a static enumerable (keyword lists give
// {key, value} tuples).
func iterItems(v Value) ([]Value, bool) {
	if v.Kind != VList {
		return nil, false
	}
	if v.IsKeyword() && len(v.Keys) > 0 {
		out := make([]Value, len(v.Items))
		for i, it := range v.Items {
			out[i] = Value{Kind: VTuple, Items: []Value{{Kind: VAtom, S: v.Keys[i]}, it}}
		}
		return out, true
	}
	return v.Items, true
}

// dynamicOps runs fn and marks every op it produces as dynamic.
func (r *runner) dynamicOps(fn func(), why string) {
	beforeQ, beforeP := len(r.queue), len(r.plan.Ops)
	var beforeS int
	if r.pend != nil {
		beforeS = len(r.pend.Subs)
	}
	fn()
	mark := func(op *Op) {
		op.Dynamic = true
		op.Reasons = append(op.Reasons, why)
	}
	for _, op := range r.queue[min(beforeQ, len(r.queue)):] {
		mark(op)
	}
	for _, op := range r.plan.Ops[min(beforeP, len(r.plan.Ops)):] {
		mark(op)
	}
	if r.pend != nil {
		for _, s := range r.pend.Subs[min(beforeS, len(r.pend.Subs)):] {
			s.Dynamic = true
		}
	}
}

// activeCall is a helper being inlined, with where the plan and the queue
// stood when it was entered.
type activeCall struct {
	name              string
	planLen, queueLen int
}

// markRepeated marks the ops produced since call was entered as repeated.
func (r *runner) markRepeated(call activeCall, why string) {
	mark := func(op *Op) {
		if !op.Repeated {
			op.Repeated = true
			op.Reasons = append(op.Reasons, why)
		}
	}
	for _, op := range r.plan.Ops[min(call.planLen, len(r.plan.Ops)):] {
		mark(op)
	}
	for _, op := range r.queue[min(call.queueLen, len(r.queue)):] {
		mark(op)
	}
}
