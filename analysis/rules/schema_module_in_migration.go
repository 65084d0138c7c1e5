package rules

import (
	"sort"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/grammar"
)

// SchemaModuleInMigration: a migration that uses the application's own
// modules (schemas as structs or query sources, changesets, contexts) runs
// their code as it is when the migration runs, which drifts from what the
// migration was written against.
var SchemaModuleInMigration = &analysis.Analyzer{
	Name:     "schema-module-in-migration",
	Doc:      "migration uses application schema modules, which will drift from the migration",
	Severity: analysis.Warning,
	Run:      runSchemaModuleInMigration,
}

// How a module is used.
const (
	useStruct = "a struct"
	useSource = "a query source"
	useRepo   = "a repo argument"
	useCall   = "a function call"
	useValue  = "a value"
)

// moduleUse is one place a module is used.
type moduleUse struct {
	module     string
	how        string
	start, end int
}

// notAppModules are the roots of modules that belong to Elixir, Erlang
// wrappers and the usual libraries, never to the application.
var notAppModules = map[string]bool{
	"Enum": true, "Map": true, "MapSet": true, "List": true, "Keyword": true, "String": true, "Integer": true,
	"Float": true, "Atom": true, "Tuple": true, "Kernel": true, "IO": true, "File": true, "Path": true,
	"System": true, "Process": true, "Application": true, "Code": true, "Logger": true, "DateTime": true,
	"NaiveDateTime": true, "Date": true, "Time": true, "Calendar": true, "Decimal": true, "Jason": true,
	"Stream": true, "Range": true, "Regex": true, "URI": true, "Base": true, "Bitwise": true, "Access": true,
	"Agent": true, "Task": true, "GenServer": true, "Supervisor": true, "Registry": true, "Node": true,
	"Exception": true, "RuntimeError": true, "ArgumentError": true, "Mix": true, "Macro": true, "Module": true,
	"Version": true, "Inspect": true, "Function": true, "Ecto": true, "Postgrex": true, "Elixir": true,
}

func runSchemaModuleInMigration(p *analysis.Pass) {
	m := p.Migration
	mod := moduleNode(m)
	if mod == nil {
		return
	}
	defined := definedModules(m.File.Root, "")
	aliases := moduleAliases(mod)
	ns := ""
	if parts := strings.Split(m.Module, "."); len(parts) >= 3 && parts[0] != "Repo" {
		ns = parts[0]
	}
	own := m.Module[:max(strings.LastIndexByte(m.Module, '.'), 0)]
	resolve := func(name string) string {
		head, rest, _ := strings.Cut(name, ".")
		if full, ok := aliases[head]; ok {
			if rest != "" {
				return full + "." + rest
			}
			return full
		}
		return name
	}
	appModule := func(full, how string) bool {
		root, _, _ := strings.Cut(full, ".")
		switch {
		case defined[full], notAppModules[root], isRepoName(full), full == "__MODULE__":
			return false
		case own != "" && strings.HasPrefix(full, own+"."):
			return false // the migrations' own namespace: helpers written for migrations
		case how == useCall || how == useValue:
			return ns != "" && root == ns
		}
		return true
	}
	var uses []moduleUse
	add := func(name, how string, start, end int) {
		full := resolve(name)
		if appModule(full, how) {
			uses = append(uses, moduleUse{module: full, how: how, start: start, end: end})
		}
	}
	var visit func(n *grammar.Node, how string)
	visit = func(n *grammar.Node, how string) {
		if n == nil {
			return
		}
		switch n.Kind {
		case grammar.Call:
			switch {
			case n.Target == nil && (n.Text == "alias" || n.Text == "import" || n.Text == "require" || n.Text == "use"):
				return
			case n.Target == nil && n.Text == "defmodule" && len(n.Args) > 0:
				for _, a := range n.Args[1:] {
					visit(a, "")
				}
				visit(n.Do, "")
				return
			}
			if n.Target != nil && n.Target.Kind == grammar.Alias {
				add(n.Target.Text, useCall, n.Target.Start, n.Target.End)
			} else {
				visit(n.Target, "")
			}
			repo := n.Target != nil && isRepoTarget(n.Target)
			for i, a := range n.Args {
				if repo && i == 0 {
					visit(a, useRepo)
				} else {
					visit(a, "")
				}
			}
			visit(n.Do, "")
			visit(n.Else, "")
			return
		case grammar.Alias:
			if how == "" {
				how = useValue
			}
			add(n.Text, how, n.Start, n.End)
			return
		case grammar.Map:
			if n.Text != "" {
				add(n.Text, useStruct, n.Start, min(n.Start+1+len(n.Text), n.End))
			}
		case grammar.BinaryOp:
			switch {
			case n.Text == "in" && len(n.Args) == 2:
				visit(n.Args[0], "")
				visit(n.Args[1], useSource)
				return
			case n.Text == "|>" && len(n.Args) == 2:
				// x |> repo().all(): x is the repo call's first argument.
				right := n.Args[1]
				if right.Kind == grammar.Call && right.Target != nil && isRepoTarget(right.Target) {
					visit(n.Args[0], useRepo)
				} else {
					visit(n.Args[0], "")
				}
				visit(right, "")
				return
			}
		case grammar.UnaryOp:
			if n.Text == "@" {
				// @behaviour, @impl, @spec...: compile-time declarations,
				// no code of the named module runs.
				if len(n.Args) == 1 && n.Args[0].Kind == grammar.Call && declarationAttrs[n.Args[0].Text] {
					return
				}
				// @attr value: the value is what matters.
				for _, a := range n.Args {
					visit(a, "")
				}
				return
			}
		}
		grammar.Walk(n, func(x *grammar.Node) bool {
			if x == n {
				return true
			}
			visit(x, "")
			return false
		})
	}
	visit(mod.Do, "")
	for _, a := range mod.Args[1:] {
		visit(a, "")
	}
	reportModuleUses(p, uses)
}

// reportModuleUses reports each module once, at its first use.
func reportModuleUses(p *analysis.Pass, uses []moduleUse) {
	sort.SliceStable(uses, func(i, j int) bool { return uses[i].start < uses[j].start })
	seen := map[string]bool{}
	for _, u := range uses {
		if seen[u.module] {
			continue
		}
		seen[u.module] = true
		var hows []string
		var related []analysis.Related
		for _, v := range uses {
			if v.module != u.module {
				continue
			}
			if !containsStr(hows, v.how) {
				hows = append(hows, v.how)
			}
			if v.start != u.start {
				related = append(related, analysis.Related{Start: v.start, End: v.end, Message: u.module + " is also used here"})
			}
		}
		p.Report(analysis.Diagnostic{Start: u.start, End: u.end, Related: related,
			Message: u.module + " is an application module (used here as " + strings.Join(hows, " and ") + "): the migration runs the code of " +
				u.module + " as it is when the migration runs, not as it was when this migration was written. Once it changes " +
				"(a field for a column that a later migration adds, a renamed field, a new required field in a changeset), " +
				"running the migrations on a fresh database (CI, a new environment, a developer's machine) fails here or writes wrong data. " +
				"Use the table name and plain maps instead (`from(u in \"users\", ...)`, `repo().update_all(\"users\", ...)`, " +
				"`repo().insert_all(\"users\", [%{...}])`), or define the few fields you need in a schema module inside this migration file."})
	}
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// isRepoName reports whether a module name is a repo (MyApp.Repo,
// MyApp.ReadRepo).
func isRepoName(name string) bool {
	last := name[strings.LastIndexByte(name, '.')+1:]
	return strings.HasSuffix(last, "Repo")
}

// moduleNode finds the defmodule call of the migration module.
func moduleNode(m *analysis.Migration) *grammar.Node {
	var found *grammar.Node
	grammar.Walk(m.File.Root, func(n *grammar.Node) bool {
		if found != nil {
			return false
		}
		if n.IsCall("defmodule") && n.Start == m.ModuleRange.Start && len(n.Args) > 0 {
			found = n
			return false
		}
		return n.Start <= m.ModuleRange.Start && m.ModuleRange.Start < n.End
	})
	return found
}

// definedModules lists the modules the file defines, by full name and, for
// nested ones, by the name they are known by inside their parent.
func definedModules(n *grammar.Node, parent string) map[string]bool {
	out := map[string]bool{}
	var walk func(n *grammar.Node, parent string)
	walk = func(n *grammar.Node, parent string) {
		grammar.Walk(n, func(x *grammar.Node) bool {
			if !x.IsCall("defmodule") || len(x.Args) == 0 || x.Args[0].Kind != grammar.Alias {
				return true
			}
			name := x.Args[0].Text
			full := name
			if parent != "" {
				full = parent + "." + name
			}
			out[name], out[full] = true, true
			for k := range definedModulesIn(x, full) {
				out[k] = true
			}
			return false
		})
	}
	walk(n, parent)
	return out
}

// definedModulesIn lists the modules nested in a defmodule call.
func definedModulesIn(mod *grammar.Node, full string) map[string]bool {
	out := map[string]bool{}
	body := mod.Do
	if body == nil && len(mod.Args) > 1 {
		body = mod.Args[len(mod.Args)-1].Keyword("do")
	}
	if body == nil {
		return out
	}
	for k := range definedModules(body, full) {
		out[k] = true
	}
	return out
}

// moduleAliases reads the alias directives of a module: the short name
// each one makes available, mapped to the full name.
func moduleAliases(mod *grammar.Node) map[string]string {
	out := map[string]string{}
	grammar.Walk(mod, func(n *grammar.Node) bool {
		if !n.IsCall("alias") || len(n.Args) == 0 {
			return true
		}
		target := n.Args[0]
		var as string
		if len(n.Args) > 1 {
			if a := n.Args[1].Keyword("as"); a != nil && a.Kind == grammar.Alias {
				as = a.Text
			}
		}
		switch {
		case target.Kind == grammar.Alias:
			if as == "" {
				as = target.Text[strings.LastIndexByte(target.Text, '.')+1:]
			}
			out[as] = target.Text
		case target.Kind == grammar.BinaryOp && target.Text == "." && len(target.Args) == 2 &&
			target.Args[0].Kind == grammar.Alias && target.Args[1].Kind == grammar.Tuple:
			for _, it := range target.Args[1].Args {
				if it.Kind == grammar.Alias {
					out[it.Text[strings.LastIndexByte(it.Text, '.')+1:]] = target.Args[0].Text + "." + it.Text
				}
			}
		}
		return false
	})
	return out
}

// declarationAttrs are the module attributes that only declare (behaviours,
// specs, docs): a module named there is not run.
var declarationAttrs = map[string]bool{
	"behaviour": true, "impl": true, "spec": true, "type": true, "typep": true, "opaque": true,
	"callback": true, "macrocallback": true, "moduledoc": true, "doc": true, "typedoc": true,
}
