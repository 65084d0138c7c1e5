package analysis

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/grammar"
)

var update = flag.Bool("update", false, "rewrite the .golden files of testdata/ecto")

var spaces = regexp.MustCompile(`\s+`)

// render prints a model the way the golden files hold it: the SQL of each
// direction, one statement per line, then the problems.
func render(m *Migration) string {
	var b strings.Builder
	for _, d := range []struct {
		name string
		plan Plan
	}{{"up", m.Up}, {"down", m.Down}} {
		fmt.Fprintf(&b, "-- %s --\n", d.name)
		for _, op := range d.plan.Ops {
			for _, q := range op.Queries {
				s := strings.TrimSpace(spaces.ReplaceAllString(q.Display(), " "))
				fmt.Fprintf(&b, "%s;\n", strings.TrimSuffix(s, ";"))
			}
			if op.Dynamic {
				fmt.Fprintf(&b, "# %s (line %d) is dynamic: %s\n", op.Kind, m.Lines.Line(op.Start)+1, strings.Join(op.Reasons, "; "))
			}
		}
		if d.plan.Irreversible != nil {
			fmt.Fprintf(&b, "! irreversible: %s\n", d.plan.Irreversible.Reason)
		}
	}
	if len(m.Problems) > 0 {
		b.WriteString("-- problems --\n")
		for _, p := range m.Problems {
			fmt.Fprintf(&b, "line %d: %s\n", m.Lines.Line(p.Start)+1, p.Message)
		}
	}
	return b.String()
}

// TestEctoGolden compares the SQL of every fixture in testdata/ecto with its
// .golden file (go test -run TestEctoGolden -update rewrites them).
func TestEctoGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/ecto/*.exs")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := render(Build(path, grammar.Parse(src), BuildOptions{}))
			golden := strings.TrimSuffix(path, ".exs") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("SQL differs from %s\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

// TestReferenceSQLCovered checks that every statement of the reference (the
// SQL ecto_sql 3.13.5 was measured to send) comes out, character for
// character, of one of the fixtures.
func TestReferenceSQLCovered(t *testing.T) {
	ref, err := os.ReadFile("testdata/ecto/reference.sql")
	if err != nil {
		t.Fatal(err)
	}
	produced := map[string]bool{}
	files, _ := filepath.Glob("testdata/ecto/*.exs")
	for _, path := range files {
		src, _ := os.ReadFile(path)
		m := Build(path, grammar.Parse(src), BuildOptions{})
		for _, plan := range []Plan{m.Up, m.Down} {
			for _, op := range plan.Ops {
				for _, q := range op.Queries {
					produced[q.SQL] = true
				}
			}
		}
	}
	n := 0
	for _, line := range strings.Split(string(ref), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "--") {
			continue
		}
		n++
		if !produced[strings.TrimSuffix(line, ";")] {
			t.Errorf("no fixture produces the reference statement:\n%s", line)
		}
	}
	if n < 30 {
		t.Fatalf("reference.sql has only %d statements", n)
	}
}
