package grammar

import (
	"os"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
)

// TestFlattenMatchesBinding checks the one-call flat copy of the tree
// against the binding's own node-by-node walk: same nodes, same order,
// same symbols, flags and byte ranges.
func TestFlattenMatchesBinding(t *testing.T) {
	src, err := os.ReadFile("testdata/sample.exs")
	if err != nil {
		t.Fatal(err)
	}
	// Add a syntax error so ERROR and MISSING nodes are covered too.
	src = append(src, []byte("\ndefmodule Broken do\n  def x(, do: [\n")...)
	p := newParser()
	defer p.Close()
	tree, err := parse(p, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	ft := flatten(tree, len(src))
	i := 0
	var walk func(n *sitter.Node)
	walk = func(n *sitter.Node) {
		if i >= ft.len() {
			t.Fatalf("flat tree has only %d nodes", ft.len())
		}
		if got, want := ft.symbol(i), int(n.Symbol()); got != want && !n.IsError() {
			t.Fatalf("node %d: symbol %d, want %d (%s)", i, got, want, n.Type())
		}
		if ft.start(i) != int(n.StartByte()) || ft.end(i) != int(n.EndByte()) {
			t.Fatalf("node %d (%s): range %d-%d, want %d-%d", i, n.Type(), ft.start(i), ft.end(i), n.StartByte(), n.EndByte())
		}
		if ft.named(i) != n.IsNamed() || ft.missing(i) != n.IsMissing() || ft.isError(i) != n.IsError() {
			t.Fatalf("node %d (%s): flags differ", i, n.Type())
		}
		if ft.childCount(i) != int(n.ChildCount()) {
			t.Fatalf("node %d (%s): %d children, want %d", i, n.Type(), ft.childCount(i), n.ChildCount())
		}
		me := i
		i++
		for k := 0; k < int(n.ChildCount()); k++ {
			if int(ft.children(me)[k]) != i {
				t.Fatalf("node %d: child %d is %d, want %d", me, k, ft.children(me)[k], i)
			}
			walk(n.Child(k))
		}
	}
	walk(tree.RootNode())
	if i != ft.len() {
		t.Fatalf("walked %d nodes, flat tree has %d", i, ft.len())
	}
}
