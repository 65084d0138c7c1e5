package analysis

import (
	"fmt"
	"strings"

	"github.com/lockwise/lockwise/grammar"
)

// env holds the variables visible to the code being evaluated.
type env struct {
	vars   map[string]Value
	parent *env
	mod    *module
}

func newEnv(mod *module, parent *env) *env {
	return &env{parent: parent, mod: mod}
}

func (e *env) get(name string) (Value, bool) {
	for x := e; x != nil; x = x.parent {
		if v, ok := x.vars[name]; ok {
			return v, true
		}
	}
	return Value{}, false
}

func (e *env) set(name string, v Value) {
	if name == "_" {
		return
	}
	if e.vars == nil {
		e.vars = make(map[string]Value, 2)
	}
	e.vars[name] = v
}

// maxDepth bounds helper-function inlining (recursion in a migration is
// possible and must not hang the analysis).
const maxDepth = 12

// eval evaluates n. Statements with side effects on the migration (DSL
// calls, repo calls) are handled by the runner.
func (r *runner) eval(n *grammar.Node, e *env) Value {
	if n == nil {
		return Value{Kind: VNil}
	}
	r.steps++
	if r.steps > r.maxSteps {
		r.giveUp(n)
		return dynamic(n, "analysis budget exhausted")
	}
	switch n.Kind {
	case grammar.Nil:
		return Value{Kind: VNil, Node: n}
	case grammar.Boolean:
		return Value{Kind: VBool, S: n.Text, Node: n}
	case grammar.Integer:
		if s, ok := normalizeInt(n.Text); ok {
			return Value{Kind: VInt, S: s, Node: n}
		}
		return dynamic(n, "integer literal")
	case grammar.Float:
		return Value{Kind: VFloat, S: normalizeFloat(n.Text), Node: n}
	case grammar.Char:
		return dynamic(n, "character literal")
	case grammar.Atom:
		if n.Str != nil && !n.Str.Static() {
			// :"#{prefix}.type": an atom with holes, shown as its source.
			v := r.stringValue(n, e)
			if v.Kind == VString {
				return Value{Kind: VAtom, S: v.S, Node: n, Holes: v.Holes}
			}
			return dynamic(n, "interpolated atom")
		}
		return Value{Kind: VAtom, S: n.Text, Node: n}
	case grammar.String:
		return r.stringValue(n, e)
	case grammar.Alias:
		return Value{Kind: VAtom, S: r.resolveAlias(n.Text, e), Node: n}
	case grammar.List:
		return r.listValue(n, e)
	case grammar.Keywords:
		return r.keywordValue(n, e)
	case grammar.Tuple:
		v := Value{Kind: VTuple, Node: n}
		for _, it := range n.Args {
			v.Items = append(v.Items, r.eval(it, e))
		}
		return v
	case grammar.Map:
		if n.Text != "" {
			return dynamic(n, "struct")
		}
		v := Value{Kind: VMap, Node: n}
		for _, it := range n.Args {
			switch {
			case it.Kind == grammar.BinaryOp && it.Text == "=>" && len(it.Args) == 2:
				v.MapKeys = append(v.MapKeys, r.eval(it.Args[0], e))
				v.Items = append(v.Items, r.eval(it.Args[1], e))
			case it.Kind == grammar.Keywords:
				kw := r.keywordValue(it, e)
				for i, k := range kw.Keys {
					v.MapKeys = append(v.MapKeys, Value{Kind: VAtom, S: k})
					v.Items = append(v.Items, kw.Items[i])
				}
			default:
				return dynamic(n, "map update")
			}
		}
		return v
	case grammar.Identifier:
		if v, ok := e.get(n.Text); ok {
			return v
		}
		// A paren-less call of a zero-arity function: `flush`, `repo`, a helper.
		return r.call(&grammar.Node{Kind: grammar.Call, Start: n.Start, End: n.End, Text: n.Text}, e)
	case grammar.UnaryOp:
		return r.unary(n, e)
	case grammar.BinaryOp:
		return r.binary(n, e)
	case grammar.Call:
		return r.call(n, e)
	case grammar.Block:
		var last Value = Value{Kind: VNil}
		for _, s := range n.Args {
			last = r.eval(s, e)
			if r.halted {
				break
			}
			r.checkStatement(s, last)
		}
		return last
	case grammar.AnonFn:
		return Value{Kind: VFunc, Node: n, Fn: &fnValue{body: n, env: e}}
	case grammar.Other:
		if strings.HasPrefix(n.Text, "<<") {
			return r.bitstring(n, e)
		}
	case grammar.Error:
		// Keep going inside what tree-sitter could not parse: the
		// statements it recovered still count (a file being typed).
		r.evalRecovered(n, e)
		return dynamic(n, "syntax error")
	}
	return dynamic(n, n.Kind.String())
}

// evalRecovered runs the statements found in an error node. A `def name`
// seen in the broken region starts that callback's statements.
func (r *runner) evalRecovered(n *grammar.Node, e *env) {
	for _, s := range n.Args {
		if s.Kind == grammar.Identifier && (s.Text == "def" || s.Text == "defp" || s.Text == "defmodule" || s.Text == "use") {
			continue
		}
		if s.Kind == grammar.Other || s.Kind == grammar.Identifier {
			continue
		}
		if isMigrationCall(s) || s.Kind == grammar.Error || s.Kind == grammar.BinaryOp && s.Text == "|>" {
			r.eval(s, e)
		}
	}
}

// isMigrationCall tells whether n is a call of the migration DSL.
func isMigrationCall(n *grammar.Node) bool {
	if n.Kind != grammar.Call || n.Target != nil {
		return false
	}
	switch n.Text {
	case "create", "create_if_not_exists", "alter", "drop", "drop_if_exists", "rename", "execute",
		"execute_file", "flush", "add", "add_if_not_exists", "modify", "remove", "remove_if_exists", "timestamps":
		return true
	}
	return false
}

func (r *runner) resolveAlias(name string, e *env) string {
	if e == nil || e.mod == nil {
		return name
	}
	head, rest, _ := strings.Cut(name, ".")
	if full, ok := e.mod.aliases[head]; ok {
		if rest != "" {
			return full + "." + rest
		}
		return full
	}
	return name
}

func (r *runner) listValue(n *grammar.Node, e *env) Value {
	v := Value{Kind: VList, Node: n}
	allKw := true
	for _, it := range n.Args {
		if it.Kind == grammar.Keywords {
			kw := r.keywordValue(it, e)
			for i, k := range kw.Keys {
				v.Items = append(v.Items, Value{Kind: VTuple, Items: []Value{{Kind: VAtom, S: k}, kw.Items[i]}, Node: it})
			}
			continue
		}
		if it.Kind == grammar.BinaryOp && it.Text == "|" {
			return dynamic(n, "list cons")
		}
		x := r.eval(it, e)
		v.Items = append(v.Items, x)
	}
	// A list whose items are all {atom, value} tuples is a keyword list.
	for _, it := range v.Items {
		if it.Kind != VTuple || len(it.Items) != 2 || it.Items[0].Kind != VAtom {
			allKw = false
			break
		}
	}
	if allKw {
		v.Keys = make([]string, len(v.Items))
		for i, it := range v.Items {
			v.Keys[i] = it.Items[0].S
			v.Items[i] = it.Items[1]
		}
	}
	return v
}

func (r *runner) keywordValue(n *grammar.Node, e *env) Value {
	v := Value{Kind: VList, Keys: []string{}, Node: n}
	for _, p := range n.Args {
		if p.Kind != grammar.Pair || len(p.Args) != 1 {
			continue
		}
		v.Keys = append(v.Keys, p.Text)
		v.Items = append(v.Items, r.eval(p.Args[0], e))
	}
	return v
}

// stringValue evaluates a string literal. Interpolations of known values
// are substituted; the others become placeholders recorded as holes, so
// that SQL built from the string can still be parsed and located.
func (r *runner) stringValue(n *grammar.Node, e *env) Value {
	s := n.Str
	if s.Sigil != "" && s.Sigil != "s" && s.Sigil != "S" {
		if s.Sigil == "w" || s.Sigil == "W" {
			return r.wordList(n)
		}
		return dynamic(n, "sigil ~"+s.Sigil)
	}
	var holes []Hole
	dec := s.Decode(func(i int, p grammar.Part) string {
		if p.Expr != nil {
			v := r.eval(p.Expr, e)
			switch v.Kind {
			case VString, VAtom:
				if len(v.Holes) == 0 {
					return v.S
				}
			case VInt, VFloat, VBool:
				return v.S
			case VNil:
				return ""
			}
		}
		ph := r.placeholder()
		h := Hole{Placeholder: ph, Source: strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(string(r.src[p.Start:p.End]), "#{"), "}"))}
		holes = append(holes, h)
		r.holeMap[ph] = h
		return ph
	})
	return Value{Kind: VString, S: dec.Text, Node: n, Holes: holes, Dec: &dec}
}

// wordList evaluates ~w(a b c) with its a/s/c modifier.
func (r *runner) wordList(n *grammar.Node) Value {
	text, ok := n.Str.Value()
	if !ok {
		return dynamic(n, "interpolated ~w")
	}
	kind := VString
	switch {
	case strings.Contains(n.Str.Mods, "a"):
		kind = VAtom
	case strings.Contains(n.Str.Mods, "c"):
		return dynamic(n, "charlist words")
	}
	v := Value{Kind: VList, Node: n}
	for _, w := range strings.Fields(text) {
		v.Items = append(v.Items, Value{Kind: kind, S: w, Node: n})
	}
	return v
}

// placeholder allocates a placeholder unique in the migration (the runs of
// both directions share the numbering, so one placeholder means one thing).
// The closing "_" keeps one placeholder from being the start of another
// (__lockwise_dyn_1_ is not in __lockwise_dyn_14_) or of the text after it
// ("#{x}4"), so that replacing them is exact in any order.
func (r *runner) placeholder() string {
	r.m.holeCount++
	return fmt.Sprintf("%s%d_", placeholderPrefix, r.m.holeCount)
}

func (r *runner) unary(n *grammar.Node, e *env) Value {
	if len(n.Args) != 1 {
		return dynamic(n, "operator")
	}
	x := n.Args[0]
	switch n.Text {
	case "@":
		name := ""
		switch x.Kind {
		case grammar.Identifier:
			name = x.Text
		case grammar.Call:
			if x.Target == nil && len(x.Args) > 0 {
				// @attr value inside a function body sets nothing at run time.
				return Value{Kind: VNil, Node: n}
			}
			name = x.Text
		}
		v := r.attr(name, n, e)
		if v.Kind == VDynamic {
			v.Node = n // show "@name" rather than its definition
		}
		return v
	case "-":
		v := r.eval(x, e)
		if v.Kind == VInt || v.Kind == VFloat {
			if strings.HasPrefix(v.S, "-") {
				v.S = v.S[1:]
			} else if v.S != "0" {
				v.S = "-" + v.S
			}
			return v
		}
	case "+":
		return r.eval(x, e)
	case "not", "!":
		v := r.eval(x, e)
		if v.Kind == VBool || v.Kind == VNil {
			if v.Truthy() {
				return Value{Kind: VBool, S: "false", Node: n}
			}
			return Value{Kind: VBool, S: "true", Node: n}
		}
	case "&":
		// &name/arity or &Mod.name/arity
		if x.Kind == grammar.BinaryOp && x.Text == "/" && len(x.Args) == 2 {
			f := x.Args[0]
			if f.Kind == grammar.Identifier {
				return Value{Kind: VFunc, Node: n, Fn: &fnValue{name: f.Text, env: e}}
			}
			if f.Kind == grammar.Call && len(f.Args) == 0 {
				mod := ""
				if f.Target != nil && f.Target.Kind == grammar.Alias {
					mod = r.resolveAlias(f.Target.Text, e)
				}
				return Value{Kind: VFunc, Node: n, Fn: &fnValue{name: f.Text, module: mod, env: e}}
			}
		}
		return dynamic(n, "capture")
	}
	return dynamic(n, "operator "+n.Text)
}

// attr reads a module attribute as of the place it is read.
func (r *runner) attr(name string, n *grammar.Node, e *env) Value {
	if e == nil || e.mod == nil {
		return dynamic(n, "@"+name)
	}
	var found *Attr
	for _, a := range e.mod.attrs {
		if a.Name == name && a.Start < n.Start {
			found = a
		}
	}
	if found == nil {
		switch name {
		case "disable_ddl_transaction", "disable_migration_lock":
			return Value{Kind: VBool, S: "false", Node: n}
		}
		return dynamic(n, "@"+name)
	}
	if found.Value.Kind == VDynamic && found.Value.Node != nil && found.Value.Why == "" {
		// Evaluate lazily, in the module's own environment.
		found.Value = r.eval(found.Value.Node, newEnv(e.mod, nil))
		if found.Value.Kind == VDynamic && found.Value.Why == "" {
			found.Value.Why = "@" + name
		}
	}
	return found.Value
}

func (r *runner) binary(n *grammar.Node, e *env) Value {
	if len(n.Args) != 2 {
		return dynamic(n, "operator")
	}
	l, rt := n.Args[0], n.Args[1]
	switch n.Text {
	case "|>":
		// a |> f(b) is f(a, b); the op covers the whole pipe.
		if rt.Kind == grammar.Call || rt.Kind == grammar.Identifier {
			c := *rt
			if rt.Kind == grammar.Identifier {
				c = grammar.Node{Kind: grammar.Call, Text: rt.Text}
			}
			c.Args = append([]*grammar.Node{l}, c.Args...)
			c.Start, c.End = n.Start, n.End
			c.Parens = true
			return r.call(&c, e)
		}
		return dynamic(n, "pipe")
	case "=":
		v := r.eval(rt, e)
		r.bind(l, v, e)
		return v
	case "<>":
		a, b := r.eval(l, e), r.eval(rt, e)
		if a.Kind == VString && b.Kind == VString {
			return concatStrings(a, b, n)
		}
		return dynamic(n, "string concatenation")
	case "++":
		a, b := r.eval(l, e), r.eval(rt, e)
		if a.Kind == VList && b.Kind == VList {
			out := Value{Kind: VList, Node: n, Items: append(append([]Value{}, a.Items...), b.Items...)}
			if a.IsKeyword() && b.IsKeyword() {
				out.Keys = append(append([]string{}, a.Keys...), b.Keys...)
			}
			return out
		}
		return dynamic(n, "list concatenation")
	case "==", "!=", "===", "!==":
		a, b := r.eval(l, e), r.eval(rt, e)
		if a.IsStatic() && b.IsStatic() && isScalar(a) && isScalar(b) {
			eq := a.Kind == b.Kind && a.S == b.S
			if n.Text == "!=" || n.Text == "!==" {
				eq = !eq
			}
			return boolValue(eq, n)
		}
		return dynamic(n, "comparison")
	case "and", "&&":
		a := r.eval(l, e)
		if a.Kind == VDynamic {
			return dynamic(n, "condition")
		}
		if !a.Truthy() {
			return a
		}
		return r.eval(rt, e)
	case "or", "||":
		a := r.eval(l, e)
		if a.Kind == VDynamic {
			return dynamic(n, "condition")
		}
		if a.Truthy() {
			return a
		}
		return r.eval(rt, e)
	case "in":
		a, b := r.eval(l, e), r.eval(rt, e)
		if isScalar(a) && b.Kind == VList && b.IsStatic() {
			for _, it := range b.Items {
				if it.Kind == a.Kind && it.S == a.S {
					return boolValue(true, n)
				}
			}
			return boolValue(false, n)
		}
		return dynamic(n, "membership")
	case "::", "when", "<-", "//", "..", "=>":
		return dynamic(n, "operator "+n.Text)
	}
	// Arithmetic and other operators: evaluate both sides for their effects.
	r.eval(l, e)
	r.eval(rt, e)
	return dynamic(n, "operator "+n.Text)
}

func isScalar(v Value) bool {
	switch v.Kind {
	case VNil, VBool, VInt, VFloat, VAtom, VString:
		return len(v.Holes) == 0
	}
	return false
}

func boolValue(b bool, n *grammar.Node) Value {
	if b {
		return Value{Kind: VBool, S: "true", Node: n}
	}
	return Value{Kind: VBool, S: "false", Node: n}
}

// concatStrings joins two string values, keeping the map back to the file
// and the holes of both.
func concatStrings(a, b Value, n *grammar.Node) Value {
	out := Value{Kind: VString, S: a.S + b.S, Node: n}
	out.Holes = append(append([]Hole{}, a.Holes...), b.Holes...)
	if a.Dec != nil && b.Dec != nil {
		d := grammar.Decoded{Text: out.S, Interps: a.Dec.Interps + b.Dec.Interps}
		d.Segs = append(d.Segs, a.Dec.Segs...)
		for _, s := range b.Dec.Segs {
			s.Out += len(a.S)
			d.Segs = append(d.Segs, s)
		}
		out.Dec = &d
	}
	return out
}

// bind assigns v to a pattern: a variable, or a tuple/list of variables.
func (r *runner) bind(p *grammar.Node, v Value, e *env) {
	switch p.Kind {
	case grammar.Identifier:
		e.set(p.Text, v)
	case grammar.Tuple, grammar.List:
		for i, it := range p.Args {
			if (v.Kind == VTuple || v.Kind == VList && !v.IsKeyword()) && i < len(v.Items) && len(p.Args) == len(v.Items) {
				r.bind(it, v.Items[i], e)
			} else {
				r.bind(it, dynamic(it, "pattern"), e)
			}
		}
	case grammar.BinaryOp:
		if p.Text == "=" && len(p.Args) == 2 {
			r.bind(p.Args[0], v, e)
			r.bind(p.Args[1], v, e)
			return
		}
		for _, a := range p.Args {
			r.bind(a, dynamic(a, "pattern"), e)
		}
	default:
		grammar.Walk(p, func(x *grammar.Node) bool {
			if x.Kind == grammar.Identifier {
				e.set(x.Text, dynamic(x, "pattern"))
			}
			return true
		})
	}
}

// checkStatement reports a statement that calls code lockwise cannot follow:
// such code may queue commands or run SQL the analysis does not see.
func (r *runner) checkStatement(s *grammar.Node, v Value) {
	if v.Kind != VDynamic || s.Kind != grammar.Call {
		return
	}
	switch {
	case strings.HasPrefix(v.Why, unknownCall):
		r.cannotFollow(s, "calls %s, which lockwise cannot follow: what it does to the database is not analysed", strings.TrimPrefix(v.Why, unknownCall))
	case s.Target == nil && v.Why == "call "+s.Text && !isKernelNoop(s.Text):
		r.cannotFollow(s, "calls %s/%d, which is not defined in this file: what it does to the database is not analysed", s.Text, len(s.Args))
	}
}

func isKernelNoop(name string) bool {
	switch name {
	case "import", "require", "alias", "use", "raise", "IO", "dbg", "inspect",
		// Ecto.Query builds queries; only the repo call that runs one acts.
		"from", "dynamic", "subquery", "where", "select", "join", "order_by", "limit", "offset",
		"group_by", "having", "preload", "exclude", "distinct", "update", "type", "field", "lock":
		return true
	}
	return false
}

// bitstring evaluates <<v::size, ...>> with integer segments. A whole
// number of bytes is a binary (an Elixir string); otherwise the bits.
func (r *runner) bitstring(n *grammar.Node, e *env) Value {
	var bits strings.Builder
	for _, seg := range n.Args {
		val, size := seg, 8
		if seg.Kind == grammar.BinaryOp && seg.Text == "::" && len(seg.Args) == 2 {
			val = seg.Args[0]
			spec := seg.Args[1]
			switch {
			case spec.Kind == grammar.Integer:
				fmt.Sscan(spec.Text, &size)
			case spec.Kind == grammar.Call && spec.Text == "size" && len(spec.Args) == 1 && spec.Args[0].Kind == grammar.Integer:
				fmt.Sscan(spec.Args[0].Text, &size)
			default:
				return dynamic(n, "bitstring")
			}
		}
		v := r.eval(val, e)
		if v.Kind != VInt || size <= 0 || size > 64 {
			return dynamic(n, "bitstring")
		}
		var x uint64
		fmt.Sscan(v.S, &x)
		for i := size - 1; i >= 0; i-- {
			if x>>uint(i)&1 == 1 {
				bits.WriteByte('1')
			} else {
				bits.WriteByte('0')
			}
		}
	}
	b := bits.String()
	if len(b)%8 != 0 {
		return Value{Kind: VBits, S: b, Node: n}
	}
	out := make([]byte, len(b)/8)
	for i := range out {
		for j := 0; j < 8; j++ {
			out[i] = out[i]<<1 | b[i*8+j] - '0'
		}
	}
	return Value{Kind: VString, S: string(out), Node: n}
}
