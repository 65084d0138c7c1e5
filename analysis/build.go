package analysis

import (
	"path/filepath"
	"strings"

	"github.com/lockwise/lockwise/grammar"
)

// Callbacks Ecto calls on a migration module, in the order they can run.
var callbackNames = []string{"after_begin", "change", "up", "down", "before_commit"}

// BuildOptions tune the model.
type BuildOptions struct {
	// Repo is the repo configuration; nil means Ecto's defaults.
	Repo *RepoConfig
	// MaxSteps bounds the evaluation work per direction (0: a default).
	MaxSteps int
}

// Build computes the migration model of a parsed file.
func Build(path string, f *grammar.File, opts BuildOptions) *Migration {
	m := &Migration{
		Path:          path,
		Version:       versionOf(path),
		File:          f,
		Lines:         grammar.NewLines(f.Src),
		Transaction:   true,
		MigrationLock: true,
		Callbacks:     map[string]*Callback{},
	}
	cfg := opts.Repo
	if cfg == nil {
		cfg = DefaultRepoConfig()
	}
	mods := findModules(f.Root)
	var main *module
	for _, mod := range mods {
		if u, ok := mod.usesMigration(); ok {
			main, m.UsesModule = mod, u
			break
		}
	}
	if main == nil {
		main = recoverModule(f)
		if main == nil {
			return m
		}
		m.UsesModule = "Ecto.Migration"
		mods = append(mods, main)
	}
	m.Module = main.name
	m.ModuleRange = grammar.Range{Start: main.node.Start, End: main.node.End}
	if m.UsesModule != "Ecto.Migration" {
		m.Problems = append(m.Problems, Problem{Kind: Unfollowed, Start: main.node.Start, End: main.node.Start + len("defmodule"),
			Message: "uses " + m.UsesModule + " instead of Ecto.Migration: what that module adds is not analysed"})
	}

	// Module attributes, evaluated in order.
	ar := newRunner(m, cfg, mods, main, Up, opts.MaxSteps)
	for _, a := range main.attrs {
		a.Value = ar.eval(a.Value.Node, newEnv(main, nil))
		m.Attrs = append(m.Attrs, a)
	}
	for _, a := range m.Attrs {
		switch a.Name {
		case "disable_ddl_transaction", "disable_migration_lock":
			if a.Value.Kind == VDynamic {
				m.Problems = append(m.Problems, Problem{Kind: Unfollowed, Start: a.Start, End: a.End,
					Message: "@" + a.Name + " is not a literal: lockwise assumes false"})
				continue
			}
			if a.Name == "disable_ddl_transaction" {
				m.Transaction = !a.Value.Truthy()
			} else {
				m.MigrationLock = !a.Value.Truthy()
			}
		}
	}
	if cfg.MigrationLock == "none" {
		m.MigrationLock = false
	}
	m.Problems = append(m.Problems, ar.problemsList...)

	for _, name := range callbackNames {
		for _, fd := range main.funcs[name] {
			// def up(opts \\ []) defines up/0 too.
			if fd.minArity() == 0 && !fd.private {
				m.Callbacks[name] = &Callback{Name: name, Start: fd.start, End: fd.end, NameStart: fd.nameStart, NameEnd: fd.nameEnd, Body: fd.body, fn: fd}
				break
			}
		}
	}

	m.Up = run(m, cfg, mods, main, Up, opts.MaxSteps)
	m.Down = run(m, cfg, mods, main, Down, opts.MaxSteps)
	return m
}

func newRunner(m *Migration, cfg *RepoConfig, mods []*module, main *module, dir Direction, maxSteps int) *runner {
	if maxSteps <= 0 {
		maxSteps = 200000
	}
	if m.Holes == nil {
		m.Holes = map[string]Hole{}
	}
	r := &runner{m: m, src: m.File.Src, cfg: cfg, mods: mods, main: main, dir: dir, maxSteps: maxSteps,
		holeMap: m.Holes, plan: &Plan{}}
	r.problems = &r.problemsList
	return r
}

// run computes the plan of one direction the way Ecto.Migrator picks the
// callback: up/0 (or down/0) wins over change/0; change/0 runs backwards
// for down.
func run(m *Migration, cfg *RepoConfig, mods []*module, main *module, dir Direction, maxSteps int) Plan {
	r := newRunner(m, cfg, mods, main, dir, maxSteps)
	plan := r.plan
	name := "up"
	if dir == Down {
		name = "down"
	}
	cb := m.Callbacks[name]
	if cb == nil && m.Callbacks["change"] != nil {
		cb = m.Callbacks["change"]
		r.back = dir == Down
		plan.Reversed = r.back
	}
	if cb == nil && helperModule(main) {
		// Oban.Migrations.Postgres.V13 defines up(opts): a module the real
		// migrations call, which the migrator never runs by itself.
		if dir == Up {
			m.Problems = append(m.Problems, Problem{Kind: Note, Start: main.node.Start, End: main.node.Start + len("defmodule"),
				Message: main.name + " defines up or change with arguments, not up/0 or change/0: a helper that migrations call, not run by the migrator by itself; its commands are analysed where a migration calls it only if that call is in the same file"})
		}
		return *plan
	}
	if cb == nil {
		plan.Irreversible = &Irreversible{Reason: main.name + " does not implement a `" + name + "/0` or `change/0` function"}
		if dir == Up {
			m.Problems = append(m.Problems, Problem{Kind: Rejected, Start: main.node.Start, End: main.node.Start + len("defmodule"), Message: plan.Irreversible.Reason})
		}
		return *plan
	}
	plan.Source = cb.Name
	runCallback := func(c *Callback) {
		if c == nil || r.halted {
			return
		}
		r.cb = c.Name
		e := newEnv(main, nil)
		if c.fn != nil {
			for i, p := range c.fn.params {
				r.bind(p, r.eval(c.fn.defaults[i], newEnv(main, nil)), e)
			}
		}
		r.eval(c.Body, e)
		if !r.halted {
			r.flush()
		}
	}
	// Ecto runs after_begin/before_commit only inside the migration's
	// transaction (Runner.perform_operation), in the migration's direction:
	// rolling back change/0 reverses their commands too.
	if m.Transaction {
		runCallback(m.Callbacks["after_begin"])
	}
	runCallback(cb)
	if m.Transaction {
		runCallback(m.Callbacks["before_commit"])
	}
	if dir == Up {
		m.Problems = append(m.Problems, r.problemsList...)
	} else {
		// Problems found only while rolling back (those of the forward run
		// are already recorded).
		for _, p := range r.problemsList {
			if !hasProblem(m.Problems, p) {
				m.Problems = append(m.Problems, p)
			}
		}
	}
	return *plan
}

// hasProblem reports whether ps holds p, in any direction.
func hasProblem(ps []Problem, p Problem) bool {
	for _, q := range ps {
		q.Direction = p.Direction
		if q == p {
			return true
		}
	}
	return false
}

// recoverModule builds a module from a file whose defmodule tree-sitter
// could not parse (a file being typed): the statements it recovered become
// the body of the callback whose `def` precedes them.
func recoverModule(f *grammar.File) *module {
	var errNode *grammar.Node
	uses := ""
	grammar.Walk(f.Root, func(n *grammar.Node) bool {
		if n.Kind == grammar.Error && errNode == nil {
			for _, a := range n.Args {
				if a.IsCall("use") && len(a.Args) > 0 && a.Args[0].Kind == grammar.Alias {
					uses = a.Args[0].Text
				}
			}
			if uses != "" {
				errNode = n
			}
		}
		return errNode == nil
	})
	if errNode == nil || !(uses == "Ecto.Migration" || strings.HasSuffix(uses, "Migration")) {
		return nil
	}
	m := &module{node: errNode, funcs: map[string][]*funcDef{}, aliases: map[string]string{}, uses: []string{uses}}
	// Find the module name: `defmodule Name` right before the error node.
	for _, top := range f.Root.Args {
		if top.IsCall("defmodule") && len(top.Args) > 0 && top.Args[0].Kind == grammar.Alias && top.End <= errNode.Start {
			m.name = top.Args[0].Text
		}
	}
	// Split the recovered statements at each `def name`.
	var cur *funcDef
	args := errNode.Args
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a.Kind == grammar.Identifier && (a.Text == "def" || a.Text == "defp") && i+1 < len(args) {
			name := ""
			next := args[i+1]
			switch {
			case next.Kind == grammar.Identifier:
				name = next.Text
			case next.Kind == grammar.Other && len(next.Args) > 0 && next.Args[0].Kind == grammar.Identifier:
				name = next.Args[0].Text
			case next.Kind == grammar.Call:
				name = next.Text
			}
			if name != "" {
				cur = &funcDef{name: name, private: a.Text == "defp", start: a.Start, end: errNode.End,
					nameStart: next.Start, nameEnd: next.Start + len(name),
					body: &grammar.Node{Kind: grammar.Block, Start: next.End, End: errNode.End}}
				m.funcs[name] = append(m.funcs[name], cur)
				i++
				continue
			}
		}
		if a.IsCall("def") || a.IsCall("defp") {
			if fd := parseDef(a); fd != nil {
				m.funcs[fd.name] = append(m.funcs[fd.name], fd)
				cur = nil
			}
			continue
		}
		if a.Kind == grammar.UnaryOp && a.Text == "@" && len(a.Args) == 1 && a.Args[0].Kind == grammar.Call && len(a.Args[0].Args) == 1 {
			op := a.Args[0]
			m.attrs = append(m.attrs, &Attr{Name: op.Text, Start: a.Start, End: a.End, Value: Value{Kind: VDynamic, Node: op.Args[0]}})
			continue
		}
		if cur != nil {
			cur.body.Args = append(cur.body.Args, a)
		}
	}
	return m
}

// versionOf returns the leading digits of a migration file name.
func versionOf(path string) string {
	base := filepath.Base(path)
	i := 0
	for i < len(base) && base[i] >= '0' && base[i] <= '9' {
		i++
	}
	return base[:i]
}

// helperModule reports whether a module that uses Ecto.Migration has no
// up/0 or change/0 but public up or change functions taking arguments
// (Oban's versioned migrations: up(opts), down(opts)).
func helperModule(mod *module) bool {
	if len(mod.lookup("up", 0)) > 0 || len(mod.lookup("change", 0)) > 0 {
		return false
	}
	for _, name := range []string{"up", "change"} {
		for _, f := range mod.funcs[name] {
			if !f.private && f.minArity() > 0 {
				return true
			}
		}
	}
	return false
}
