package rules

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/analysistest"
	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/grammar"
)

func TestLockTimeoutMissing(t *testing.T) {
	testRule(t, LockTimeoutMissing)
	fixesSilence(t, LockTimeoutMissing)
}

func TestIrreversibleChange(t *testing.T)    { testRule(t, IrreversibleChange) }
func TestMissingDown(t *testing.T)           { testRule(t, MissingDown) }
func TestHypertableMigrateData(t *testing.T) { testRule(t, HypertableMigrateData) }
func TestEctoRejects(t *testing.T)           { testRule(t, EctoRejects) }

func TestEnumValueInTransaction(t *testing.T) {
	testRule(t, EnumValueInTransaction)
	fixesSilence(t, EnumValueInTransaction)
}

func TestBackfillWithSchemaChange(t *testing.T) {
	testRule(t, BackfillWithSchemaChange)
	fixesSilence(t, BackfillWithSchemaChange)
}

func TestUnbatchedBackfill(t *testing.T) { testRule(t, UnbatchedBackfill) }

func TestSchemaModuleInMigration(t *testing.T) { testRule(t, SchemaModuleInMigration) }

func TestSQLNotAnalysed(t *testing.T) { testRule(t, SQLNotAnalysed) }

func TestMultiStatementExecute(t *testing.T) {
	testRule(t, MultiStatementExecute)
	fixesSilence(t, MultiStatementExecute)
}

// fixesSilence applies each fix of a rule to its testdata files and checks
// that the rule no longer reports the diagnostics that carried it.
func fixesSilence(t *testing.T, a *analysis.Analyzer) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", a.Name, "*.exs"))
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		before := runOne(path, src, a)
		byTitle := map[string][]analysis.TextEdit{}
		fixed := map[string]int{}
		for _, d := range before.Diagnostics {
			for _, f := range d.Fixes {
				byTitle[f.Title] = append(byTitle[f.Title], f.Edits...)
				fixed[f.Title]++
			}
		}
		for title, edits := range byTitle {
			out, err := analysistest.ApplyEdits(src, edits)
			if err != nil {
				t.Errorf("%s: %s: %v", path, title, err)
				continue
			}
			after := runOne(path, out, a)
			if got, want := len(after.Diagnostics), len(before.Diagnostics)-fixed[title]; got != want {
				var msgs []string
				for _, d := range after.Diagnostics {
					msgs = append(msgs, d.Message)
				}
				t.Errorf("%s: after %q, %d diagnostics remain, want %d:\n%s", path, title, got, want, strings.Join(msgs, "\n"))
			}
		}
	}
}

// runOne runs one rule over a file with the settings of its first line.
func runOne(path string, src []byte, a *analysis.Analyzer) *check.Result {
	s := check.DefaultSettings()
	s.Catalog = All
	first, _, _ := strings.Cut(string(src), "\n")
	if rest, ok := strings.CutPrefix(strings.TrimSpace(first), "# settings:"); ok {
		for _, kv := range strings.Fields(rest) {
			if v, ok := strings.CutPrefix(kv, "postgres_version="); ok {
				s.PGVersion, _ = strconv.Atoi(v)
			}
		}
	}
	return check.Run(path, grammar.Parse(src), s, []*analysis.Analyzer{a})
}
