package grammar

import (
	"context"
	"embed"
	"fmt"
	"sync"

	sitter "github.com/smacker/go-tree-sitter"
)

//go:embed queries/*.scm
var queryFS embed.FS

// Queries are compiled once; a *sitter.Query is immutable and may be shared.
var (
	queriesOnce sync.Once
	qModules    *sitter.Query
	qUses       *sitter.Query
	queryErr    error
)

func loadQueries() {
	load := func(name string) *sitter.Query {
		src, err := queryFS.ReadFile("queries/" + name)
		if err != nil {
			queryErr = err
			return nil
		}
		q, err := sitter.NewQuery(src, language)
		if err != nil {
			queryErr = fmt.Errorf("query %s: %w", name, err)
			return nil
		}
		return q
	}
	qModules = load("modules.scm")
	qUses = load("uses.scm")
	if queryErr != nil {
		panic(queryErr) // embedded queries are part of the binary: a bad one is a build defect
	}
}

// parse runs tree-sitter. The context is never cancellable: a cancelled
// ParseCtx can leave the parser's cancel flag set (STYLE.md 4.2.3).
func parse(p *sitter.Parser, old *sitter.Tree, src []byte) (*sitter.Tree, error) {
	return p.ParseCtx(context.Background(), old, src)
}

func newParser() *sitter.Parser {
	p := sitter.NewParser()
	p.SetLanguage(language)
	return p
}

// parserPool keeps parsers for one-shot Parse calls; a parser is used by one
// goroutine at a time.
var parserPool = sync.Pool{New: func() any { return newParser() }}

// Parse parses src once and converts the tree into plain values.
func Parse(src []byte) *File {
	p := parserPool.Get().(*sitter.Parser)
	tree, err := parse(p, nil, src)
	if err != nil {
		// Do not reuse a parser that failed (STYLE.md 4.2.3).
		p.Close()
		return errorFile(src, err)
	}
	parserPool.Put(p)
	f := convertTree(tree, src)
	tree.Close()
	return f
}

func errorFile(src []byte, err error) *File {
	return &File{Src: src, Root: &Node{Kind: Block, End: len(src)}, Errors: []Range{{0, len(src)}}}
}

func convertTree(tree *sitter.Tree, src []byte) *File {
	c := &converter{src: src, t: flatten(tree, len(src))}
	defer c.t.release()
	root := c.convert(0)
	if root == nil || root.Kind != Block {
		b := &Node{Kind: Block, End: len(src)}
		if root != nil {
			b.Args = []*Node{root}
		}
		root = b
	}
	return &File{Src: src, Root: root, Comments: c.comments(), Errors: c.errors}
}

// MigrationModules returns the names of the modules in src that `use` a
// module whose name ends in "Migration" (Ecto.Migration or a project's own
// wrapper), using the embedded queries. It is a cheap pre-filter for
// directory scans.
func UsesMigration(src []byte) bool {
	queriesOnce.Do(loadQueries)
	p := parserPool.Get().(*sitter.Parser)
	tree, err := parse(p, nil, src)
	if err != nil {
		p.Close()
		return false
	}
	parserPool.Put(p)
	defer tree.Close()
	qc := sitter.NewQueryCursor()
	defer qc.Close()
	qc.Exec(qUses, tree.RootNode())
	for {
		m, ok := qc.NextMatch()
		if !ok {
			return false
		}
		m = qc.FilterPredicates(m, src)
		for _, cpt := range m.Captures {
			if qUses.CaptureNameForId(cpt.Index) == "module" && isMigrationModule(cpt.Node.Content(src)) {
				return true
			}
		}
	}
}

func isMigrationModule(name string) bool {
	const suffix = "Migration"
	return name == "Ecto.Migration" || len(name) >= len(suffix) && name[len(name)-len(suffix):] == suffix
}

// Module is a defmodule found by the modules query.
type Module struct {
	Name string
	Node Range // the whole defmodule call
	Body Range // its do block
}

// Modules lists the defmodule blocks of src (nested ones included).
func Modules(src []byte) []Module {
	queriesOnce.Do(loadQueries)
	p := parserPool.Get().(*sitter.Parser)
	tree, err := parse(p, nil, src)
	if err != nil {
		p.Close()
		return nil
	}
	parserPool.Put(p)
	defer tree.Close()
	return modulesOf(tree, src)
}

func modulesOf(tree *sitter.Tree, src []byte) []Module {
	queriesOnce.Do(loadQueries)
	qc := sitter.NewQueryCursor()
	defer qc.Close()
	qc.Exec(qModules, tree.RootNode())
	var out []Module
	for {
		m, ok := qc.NextMatch()
		if !ok {
			return out
		}
		m = qc.FilterPredicates(m, src)
		var mod Module
		for _, cpt := range m.Captures {
			switch qModules.CaptureNameForId(cpt.Index) {
			case "name":
				mod.Name = moduleName(cpt.Node.Content(src))
			case "body":
				mod.Body = Range{int(cpt.Node.StartByte()), int(cpt.Node.EndByte())}
				if par := cpt.Node.Parent(); par != nil {
					mod.Node = Range{int(par.StartByte()), int(par.EndByte())}
				}
			}
		}
		if mod.Name != "" {
			out = append(out, mod)
		}
	}
}

// moduleName turns :"Elixir.A.B" into A.B; an alias is returned as is.
func moduleName(s string) string {
	if len(s) > 3 && s[0] == ':' && s[1] == '"' && s[len(s)-1] == '"' {
		s = s[2 : len(s)-1]
	}
	if len(s) > 7 && s[:7] == "Elixir." {
		s = s[7:]
	}
	return s
}
