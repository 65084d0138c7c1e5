package analysis

import (
	"fmt"

	"github.com/lockwise/lockwise/grammar"
)

// branches evaluates code whose condition is not known: every branch runs,
// and the ops it produces are marked conditional.
func (r *runner) branches(n *grammar.Node, what string, bodies []*grammar.Node, e *env) Value {
	r.cond++
	r.reason = append(r.reason, fmt.Sprintf("inside `%s` at line %d whose condition is not known statically", what, r.m.Lines.Line(n.Start)+1))
	for _, b := range bodies {
		if b != nil && !r.halted {
			r.eval(b, newEnv(e.mod, e))
		}
	}
	r.reason = r.reason[:len(r.reason)-1]
	r.cond--
	return dynamic(n, what)
}

// ifCall handles if/unless with do/else blocks or keywords.
func (r *runner) ifCall(n *grammar.Node, e *env) Value {
	if len(n.Args) == 0 {
		return dynamic(n, n.Text)
	}
	var then, els *grammar.Node
	if n.Do != nil {
		then = n.Do
		if n.Else != nil {
			els = n.Else
		}
	} else if len(n.Args) >= 2 && n.Args[len(n.Args)-1].Kind == grammar.Keywords {
		kw := n.Args[len(n.Args)-1]
		then, els = kw.Keyword("do"), kw.Keyword("else")
	}
	cond := r.eval(n.Args[0], e)
	if cond.Kind == VDynamic {
		return r.branches(n, n.Text, []*grammar.Node{then, els}, e)
	}
	take := cond.Truthy()
	if n.Text == "unless" {
		take = !take
	}
	if take {
		return r.eval(then, e)
	}
	if els != nil {
		return r.eval(els, e)
	}
	return Value{Kind: VNil, Node: n}
}

// stabClauses returns the clauses of a do block made of `pattern -> body`.
func stabClauses(b *grammar.Node) []*grammar.Node {
	if b == nil {
		return nil
	}
	var out []*grammar.Node
	for _, a := range b.Args {
		if a.Kind == grammar.Stab {
			out = append(out, a)
		}
	}
	return out
}

func (r *runner) caseCall(n *grammar.Node, e *env) Value {
	if len(n.Args) == 0 || n.Do == nil {
		return dynamic(n, "case")
	}
	v := r.eval(n.Args[0], e)
	clauses := stabClauses(n.Do)
	if isScalar(v) {
		for _, c := range clauses {
			if len(c.Args) != 1 {
				continue
			}
			p := c.Args[0]
			if p.Kind == grammar.BinaryOp && p.Text == "when" {
				break // guards: give up on static matching
			}
			if patternMatchesExactly(p, v) {
				ce := newEnv(e.mod, e)
				r.bind(p, v, ce)
				return r.eval(c.Do, ce)
			}
		}
	}
	var bodies []*grammar.Node
	for _, c := range clauses {
		bodies = append(bodies, c.Do)
	}
	return r.branches(n, "case", bodies, e)
}

// patternMatchesExactly reports whether a simple pattern surely matches v.
func patternMatchesExactly(p *grammar.Node, v Value) bool {
	switch p.Kind {
	case grammar.Identifier:
		return true // a variable or _
	case grammar.Atom, grammar.Boolean, grammar.Nil, grammar.Integer, grammar.String:
		return patternMayMatch(p, v)
	}
	return false
}

func (r *runner) condCall(n *grammar.Node, e *env) Value {
	if n.Do == nil {
		return dynamic(n, "cond")
	}
	clauses := stabClauses(n.Do)
	for i, c := range clauses {
		if len(c.Args) != 1 {
			continue
		}
		v := r.eval(c.Args[0], e)
		if v.Kind == VDynamic {
			var bodies []*grammar.Node
			for _, rest := range clauses[i:] {
				bodies = append(bodies, rest.Do)
			}
			return r.branches(n, "cond", bodies, e)
		}
		if v.Truthy() {
			return r.eval(c.Do, e)
		}
	}
	return Value{Kind: VNil, Node: n}
}

func (r *runner) withCall(n *grammar.Node, e *env) Value {
	block, args := doBlock(n)
	we := newEnv(e.mod, e)
	for _, a := range args {
		if a.Kind == grammar.BinaryOp && a.Text == "<-" && len(a.Args) == 2 {
			v := r.eval(a.Args[1], we)
			r.bind(a.Args[0], v, we)
			continue
		}
		r.eval(a, we)
	}
	if block == nil {
		return dynamic(n, "with")
	}
	return r.branches(n, "with", []*grammar.Node{block}, we)
}

// forCall unrolls `for x <- list, do: ...` over a static list; otherwise
// the body runs once with x unknown and its ops are marked dynamic.
func (r *runner) forCall(n *grammar.Node, e *env) Value {
	block, args := doBlock(n)
	if block == nil {
		return dynamic(n, "for")
	}
	type gen struct {
		pat  *grammar.Node
		list Value
	}
	var gens []gen
	var filters []*grammar.Node
	for _, a := range args {
		switch {
		case a.Kind == grammar.BinaryOp && a.Text == "<-" && len(a.Args) == 2:
			gens = append(gens, gen{pat: a.Args[0], list: r.eval(a.Args[1], e)})
		case a.Kind == grammar.Keywords:
			// into:, uniq:, reduce: — no effect on the migration
		default:
			filters = append(filters, a)
		}
	}
	r.rep++
	r.reason = append(r.reason, fmt.Sprintf("repeated by the `for` at line %d", r.m.Lines.Line(n.Start)+1))
	defer func() { r.rep--; r.reason = r.reason[:len(r.reason)-1] }()

	known := len(gens) > 0
	var items [][]Value
	if known {
		items = [][]Value{{}}
		for _, g := range gens {
			list, ok := iterItems(g.list)
			if !ok {
				known = false
				break
			}
			var next [][]Value
			for _, prefix := range items {
				for _, it := range list {
					next = append(next, append(append([]Value{}, prefix...), it))
				}
			}
			items = next
		}
	}
	if !known {
		fe := newEnv(e.mod, e)
		for _, g := range gens {
			r.bind(g.pat, dynamic(g.pat, "loop element"), fe)
		}
		r.dynamicOps(func() { r.eval(block, fe) }, "loops over a list not known statically")
		return dynamic(n, "for")
	}
	var out []Value
	for _, combo := range items {
		fe := newEnv(e.mod, e)
		for i, g := range gens {
			r.bind(g.pat, combo[i], fe)
		}
		skip := false
		for _, f := range filters {
			v := r.eval(f, fe)
			if v.Kind != VDynamic && !v.Truthy() {
				skip = true
			}
		}
		if skip {
			continue
		}
		out = append(out, r.eval(block, fe))
		if r.halted {
			break
		}
	}
	return Value{Kind: VList, Items: out, Node: n}
}
