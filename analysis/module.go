package analysis

import (
	"strings"

	"github.com/lockwise/lockwise/grammar"
)

// module is what the interpreter knows about one defmodule of the file.
type module struct {
	name    string
	node    *grammar.Node
	uses    []string
	funcs   map[string][]*funcDef // by name; clauses in source order
	attrs   []*Attr               // in source order
	aliases map[string]string     // alias Foo.Bar.Baz -> Baz => Foo.Bar.Baz
}

// funcDef is one clause of a def/defp.
type funcDef struct {
	name       string
	params     []*grammar.Node
	defaults   []*grammar.Node // default values (\\), nil where none
	body       *grammar.Node
	private    bool
	start, end int
	nameStart  int
	nameEnd    int
}

func (f *funcDef) arity() int { return len(f.params) }

// minArity is the arity without the defaulted trailing parameters.
func (f *funcDef) minArity() int {
	n := len(f.params)
	for n > 0 && f.defaults[n-1] != nil {
		n--
	}
	return n
}

// findModules collects every defmodule in the file, nested ones included.
func findModules(root *grammar.Node) []*module {
	var out []*module
	var visit func(n *grammar.Node, prefix string)
	visit = func(n *grammar.Node, prefix string) {
		grammar.Walk(n, func(x *grammar.Node) bool {
			if x == n {
				return true
			}
			if x.IsCall("defmodule") && len(x.Args) >= 1 {
				name := ""
				switch a := x.Args[0]; a.Kind {
				case grammar.Alias:
					name = a.Text
				case grammar.Atom:
					// defmodule :"Elixir.App.Repo.Migrations.Add-x" do
					name = strings.TrimPrefix(a.Text, "Elixir.")
				}
				body := x.Do
				if body == nil && len(x.Args) >= 2 {
					body = x.Args[1].Keyword("do")
				}
				m := &module{name: name, node: x, funcs: map[string][]*funcDef{}, aliases: map[string]string{}}
				out = append(out, m)
				if body != nil {
					collectModuleBody(m, body)
					visit(body, name)
				}
				return false
			}
			return true
		})
	}
	visit(root, "")
	return out
}

// collectModuleBody records the functions, attributes and uses directly in
// a module body (not those of nested modules).
func collectModuleBody(m *module, body *grammar.Node) {
	var stmts []*grammar.Node
	if body.Kind == grammar.Block {
		stmts = body.Args
	} else {
		stmts = []*grammar.Node{body}
	}
	// A body with a syntax error can hold its statements inside an error
	// node; flatten those so the definitions before the break still count.
	var flat []*grammar.Node
	for _, s := range stmts {
		if s.Kind == grammar.Error {
			flat = append(flat, s.Args...)
			continue
		}
		flat = append(flat, s)
	}
	for _, s := range flat {
		switch {
		case s.IsCall("defdelegate"):
			if f := parseDelegate(s); f != nil {
				m.funcs[f.name] = append(m.funcs[f.name], f)
			}
		case s.Kind == grammar.Call && s.Do != nil && !s.IsCall("def") && !s.IsCall("defp") && !s.IsCall("defmodule") &&
			!s.IsCall("defmacro") && !s.IsCall("defmacrop"):
			// Definitions inside a module-level `if Code.ensure_loaded?(...)`
			// or a project macro (`MyApp.if_cloud do ... end`) still define
			// the callbacks.
			collectModuleBody(m, s.Do)
			if s.Else != nil {
				collectModuleBody(m, s.Else)
			}
		case s.IsCall("use") && len(s.Args) >= 1 && s.Args[0].Kind == grammar.Alias:
			m.uses = append(m.uses, s.Args[0].Text)
		case s.IsCall("alias") && len(s.Args) >= 1 && s.Args[0].Kind == grammar.Alias:
			full := s.Args[0].Text
			short := full[strings.LastIndexByte(full, '.')+1:]
			if len(s.Args) >= 2 {
				if as := s.Args[1].Keyword("as"); as != nil && as.Kind == grammar.Alias {
					short = as.Text
				}
			}
			m.aliases[short] = full
		case s.IsCall("def") || s.IsCall("defp"):
			if f := parseDef(s); f != nil {
				m.funcs[f.name] = append(m.funcs[f.name], f)
			}
		case s.Kind == grammar.UnaryOp && s.Text == "@" && len(s.Args) == 1:
			// @name value: the operand is a call `name value` (or an identifier for @name alone)
			op := s.Args[0]
			if op.Kind == grammar.Call && op.Target == nil && len(op.Args) == 1 {
				m.attrs = append(m.attrs, &Attr{Name: op.Text, Start: s.Start, End: s.End, Value: Value{Kind: VDynamic, Node: op.Args[0]}})
			}
		}
	}
}

// parseDef reads `def name(params) [when guard] do body end` and its
// keyword form `def name(params), do: body`.
func parseDef(n *grammar.Node) *funcDef {
	if len(n.Args) == 0 {
		return nil
	}
	head := n.Args[0]
	if head.Kind == grammar.BinaryOp && head.Text == "when" && len(head.Args) == 2 {
		head = head.Args[0]
	}
	f := &funcDef{private: n.Text == "defp", start: n.Start, end: n.End}
	if !f.readHead(head) {
		return nil
	}
	switch {
	case n.Do != nil:
		f.body = n.Do
	case len(n.Args) >= 2:
		f.body = n.Args[len(n.Args)-1].Keyword("do")
	}
	if f.body == nil {
		// A bodiless head (def f(x)) declares defaults only.
		f.body = &grammar.Node{Kind: grammar.Block, Start: n.End, End: n.End}
	}
	return f
}

// readHead reads the name and parameters of a function head (`up`,
// `up(x, y \\ 1)`); it reports false for what is not one.
func (f *funcDef) readHead(head *grammar.Node) bool {
	switch head.Kind {
	case grammar.Identifier:
		f.name = head.Text
	case grammar.Call:
		if head.Target != nil {
			return false
		}
		f.name = head.Text
		for _, p := range head.Args {
			if p.Kind == grammar.BinaryOp && p.Text == `\\` && len(p.Args) == 2 {
				f.params = append(f.params, p.Args[0])
				f.defaults = append(f.defaults, p.Args[1])
				continue
			}
			f.params = append(f.params, p)
			f.defaults = append(f.defaults, nil)
		}
	default:
		return false
	}
	f.nameStart, f.nameEnd = head.Start, head.Start+len(f.name)
	return true
}

// lookup finds the function clauses named name that accept arity arguments.
func (m *module) lookup(name string, arity int) []*funcDef {
	var out []*funcDef
	for _, f := range m.funcs[name] {
		if arity <= f.arity() && arity >= f.minArity() {
			out = append(out, f)
		}
	}
	return out
}

// usesMigration reports whether the module uses Ecto.Migration or a
// project module whose name ends in "Migration".
func (m *module) usesMigration() (string, bool) {
	for _, u := range m.uses {
		if u == "Ecto.Migration" {
			return u, true
		}
	}
	for _, u := range m.uses {
		if strings.HasSuffix(u, "Migration") || strings.HasSuffix(u, ".Migrations") {
			return u, true
		}
	}
	return "", false
}

// parseDelegate reads `defdelegate up, to: Mod` (optionally `as: name`): a
// function whose body calls Mod.name with the same arguments.
func parseDelegate(n *grammar.Node) *funcDef {
	if len(n.Args) < 2 || n.Args[len(n.Args)-1].Kind != grammar.Keywords {
		return nil
	}
	opts := n.Args[len(n.Args)-1]
	to := opts.Keyword("to")
	if to == nil || to.Kind != grammar.Alias {
		return nil
	}
	f := &funcDef{start: n.Start, end: n.End}
	if !f.readHead(n.Args[0]) {
		return nil
	}
	target := f.name
	if as := opts.Keyword("as"); as != nil && as.Kind == grammar.Atom {
		target = as.Text
	}
	call := &grammar.Node{Kind: grammar.Call, Start: n.Start, End: n.End, Text: target, Target: to, Parens: true}
	for _, p := range f.params {
		call.Args = append(call.Args, p)
	}
	f.body = &grammar.Node{Kind: grammar.Block, Start: n.Start, End: n.End, Args: []*grammar.Node{call}}
	return f
}
