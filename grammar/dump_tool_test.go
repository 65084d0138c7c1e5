package grammar

import (
	"os"
	"testing"
)

// TestDumpFile prints the plain tree of $GRAMMAR_DUMP (a debugging aid).
func TestDumpFile(t *testing.T) {
	path := os.Getenv("GRAMMAR_DUMP")
	if path == "" {
		t.Skip("set GRAMMAR_DUMP=file.exs to print its plain syntax tree")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := Parse(src)
	for _, n := range f.Root.Args {
		t.Log(Dump(n))
	}
	t.Logf("comments: %v errors: %v", f.Comments, f.Errors)
}
