package analysis

import (
	"strings"
	"testing"

	"github.com/lockwise/lockwise/grammar"
)

// The statements of an execute string map back to their exact place in the
// file, through heredoc indentation, escapes and interpolations.
func TestStatementsMapToFile(t *testing.T) {
	src := "defmodule M do\n  use Ecto.Migration\n\n  def up do\n" +
		"    # é 𐐀 before the SQL\n" +
		"    execute \"\"\"\n" +
		"    CREATE INDEX \\\"é_idx\\\" ON users (email);\n" +
		"      UPDATE #{@t} SET a = 1\n" +
		"    \"\"\"\n" +
		"    execute \"SELECT 1; SELEC 2\"\n" +
		"  end\nend\n"
	m := Build("x.exs", grammar.Parse([]byte(src)), BuildOptions{})
	if len(m.Up.Ops) != 2 {
		t.Fatalf("want 2 ops, got %d", len(m.Up.Ops))
	}
	stmts := m.Up.Ops[0].Queries[0].Statements()
	if len(stmts) != 2 {
		t.Fatalf("want 2 statements, got %d", len(stmts))
	}
	if got := src[stmts[0].FileStart:stmts[0].FileEnd]; got != `CREATE INDEX \"é_idx\" ON users (email)` {
		t.Errorf("statement 1 maps to %q", got)
	}
	if got := src[stmts[1].FileStart:stmts[1].FileEnd]; got != "UPDATE #{@t} SET a = 1" {
		t.Errorf("statement 2 maps to %q", got)
	}
	if !stmts[1].Dynamic || stmts[0].Dynamic {
		t.Errorf("only the interpolated statement is dynamic: %v %v", stmts[0].Dynamic, stmts[1].Dynamic)
	}
	bad := m.Up.Ops[1].Queries[0].Statements()
	if len(bad) != 1 || bad[0].Err == nil {
		t.Fatalf("SQL pg_query rejects must be one opaque statement with its error, got %+v", bad)
	}
	if got := src[bad[0].ErrOffset:]; !strings.HasPrefix(got, "SELEC 2") {
		t.Errorf("the parse error points at %q", got[:min(10, len(got))])
	}
}
