package grammar

import (
	"math/rand"
	"os"
	"testing"
)

// snippets are typed into random places: fragments that open and close
// strings, heredocs, blocks and interpolations stress the re-parse.
var snippets = []string{
	"", "\n", " ", "do", "end", "\"", `"""`, "\n  \"\"\"\n", "#{", "}", "(", ")", "[", "]", ",", ":users",
	"create index(:t, [:a])", "alter table(:x) do\n add :y, :integer\nend\n", "# comment é\n", "é", "𐐀",
	"~S\"", "|>", "execute \"SELECT 1\"", "null: false", "\r\n", "fn -> ", "@disable_ddl_transaction true\n",
}

// TestIncrementalMatchesFresh applies 2,000 random edits through Doc.Apply
// and checks after each that the incremental tree equals a fresh parse of
// the same text, both as tree-sitter sees it and as converted plain values.
func TestIncrementalMatchesFresh(t *testing.T) {
	src, err := os.ReadFile("testdata/sample.exs")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(42))
	doc := NewDoc(src)
	defer doc.Close()
	fresh := newParser()
	defer fresh.Close()
	const edits = 2000
	for i := 0; i < edits; i++ {
		text := doc.Text()
		start := rng.Intn(len(text) + 1)
		end := start
		switch rng.Intn(3) {
		case 0: // insert
		case 1: // delete
			end = start + rng.Intn(min(40, len(text)-start)+1)
		case 2: // replace
			end = start + rng.Intn(min(10, len(text)-start)+1)
		}
		ins := snippets[rng.Intn(len(snippets))]
		if err := doc.Apply(Edit{Start: start, End: end, Text: []byte(ins)}); err != nil {
			t.Fatal(err)
		}
		// Keep the document from shrinking to nothing or growing without bound.
		if len(doc.Text()) < 200 || len(doc.Text()) > 4000 {
			doc.SetText(src)
		}
		tree, err := parse(fresh, nil, doc.Text())
		if err != nil {
			t.Fatal(err)
		}
		want := tree.RootNode().String()
		wantFile := Dump(convertTree(tree, doc.Text()).Root)
		tree.Close()
		if got := doc.SExpr(); got != want {
			t.Fatalf("edit %d: incremental tree differs from a fresh parse\ntext:\n%s\nincremental: %s\nfresh:       %s", i, doc.Text(), got, want)
		}
		if got := Dump(doc.File().Root); got != wantFile {
			t.Fatalf("edit %d: converted trees differ\nincremental: %s\nfresh:       %s", i, got, wantFile)
		}
	}
}

func TestApplyRejectsOutOfRange(t *testing.T) {
	doc := NewDoc([]byte("x = 1\n"))
	defer doc.Close()
	if err := doc.Apply(Edit{Start: 3, End: 99}); err == nil {
		t.Fatal("an edit past the end must be rejected")
	}
	if got := string(doc.Text()); got != "x = 1\n" {
		t.Fatalf("text changed to %q", got)
	}
}
