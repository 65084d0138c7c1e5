package check

import (
	"strconv"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/grammar"
)

// every statement is reported by this test rule.
var everyStmt = &analysis.Analyzer{
	Name: "every-statement", Doc: "test rule", Severity: analysis.Warning, EM: []string{"raw_sql_executed"},
	Run: func(p *analysis.Pass) {
		for _, of := range p.Up {
			for _, sf := range of.Stmts {
				start, end := sf.Op.Start, sf.Op.End
				if sf.Query.Source != nil {
					start, end = sf.Stmt.FileStart, sf.Stmt.FileEnd
				}
				p.Report(analysis.Diagnostic{Start: start, End: end, Message: string(sf.Stmt.Desc.Kind())})
			}
		}
	},
}

func run(t *testing.T, src string, s Settings) *Result {
	t.Helper()
	return Run("priv/repo/migrations/20240101000000_x.exs", grammar.Parse([]byte(src)), s, []*analysis.Analyzer{everyStmt})
}

func TestSuppressions(t *testing.T) {
	src := `defmodule M do
  use Ecto.Migration
  def change do
    # lockwise:disable-next-line every-statement -- reviewed
    create index(:a, [:b])

    # a plain comment in between
    # lockwise:disable-next-line all
    alter table(:a) do
      add :c, :text
    end
    # excellent_migrations:safety-assured-for-next-line raw_sql_executed
    execute """
    UPDATE a SET c = ''
    """, ""
    create index(:a, [:c])
    # lockwise:disable-next-line no-such-rule, every-statement
    execute "SELECT 1", ""
    # excellent_migrations:safety-assured-for-next-line not_a_check
    execute "SELECT 2", ""
  end
end
`
	r := run(t, src, DefaultSettings())
	var got []string
	for _, d := range r.Diagnostics {
		line, _ := r.Migration.Lines.Position(d.Start)
		got = append(got, d.Rule+"@"+strconv.Itoa(line+1)+":"+d.Message)
	}
	want := []string{
		"every-statement@16:create index",
		"invalid-suppression@17:unknown rule \"no-such-rule\" in a suppression comment: it suppresses nothing (see `lockwise rules`)",
		"invalid-suppression@19:unknown excellent_migrations check \"not_a_check\": it suppresses nothing here",
		"every-statement@20:select",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r.Suppressed != 4 {
		t.Errorf("suppressed %d, want 4", r.Suppressed)
	}
}

func TestFileSuppressionAndSeverities(t *testing.T) {
	src := "# lockwise:disable-file every-statement -- legacy\ndefmodule M do\n  use Ecto.Migration\n  def change, do: create(index(:a, [:b]))\nend\n"
	if r := run(t, src, DefaultSettings()); len(r.Diagnostics) != 0 {
		t.Fatalf("file suppression: %+v", r.Diagnostics)
	}
	src = strings.Replace(src, "# lockwise:disable-file every-statement -- legacy\n", "", 1)
	s := DefaultSettings()
	s.Severities = map[string]analysis.Severity{"every-statement": analysis.Error}
	r := run(t, src, s)
	if len(r.Diagnostics) != 1 || r.Diagnostics[0].Severity != analysis.Error || !strings.HasSuffix(r.Diagnostics[0].URL, "/every-statement.md") {
		t.Fatalf("%+v", r.Diagnostics)
	}
	s.Severities["every-statement"] = analysis.Off
	if r := run(t, src, s); len(r.Diagnostics) != 0 {
		t.Fatal("off disables the rule")
	}
	s = DefaultSettings()
	s.StartAfter = "20240101000000"
	if r := run(t, src, s); !r.Skipped || len(r.Diagnostics) != 0 {
		t.Fatal("migrations up to start_after are not reported")
	}
}

func TestSuppressFixInsertsAboveTheStatement(t *testing.T) {
	src := "defmodule M do\n  use Ecto.Migration\n  def change do\n    execute \"\"\"\n    UPDATE a SET b = 1\n    \"\"\", \"\"\n  end\nend\n"
	r := run(t, src, DefaultSettings())
	if len(r.Diagnostics) != 1 {
		t.Fatalf("%+v", r.Diagnostics)
	}
	fix := SuppressFix(r.Migration, r.Diagnostics[0])
	e := fix.Edits[0]
	out := src[:e.Start] + e.NewText + src[e.End:]
	if !strings.Contains(out, "  def change do\n    # lockwise:disable-next-line every-statement -- <why this is safe>\n    execute \"\"\"") {
		t.Fatalf("got:\n%s", out)
	}
	// and the comment does suppress it
	if r2 := run(t, out, DefaultSettings()); len(r2.Diagnostics) != 0 {
		t.Fatalf("the inserted comment must suppress the diagnostic: %+v", r2.Diagnostics)
	}
}
