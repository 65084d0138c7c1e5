//go:build corpus

package workspace

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// TestStructureDumps compares, for every project of $LOCKWISE_CORPUS_ROOT
// that ships priv/repo/structure.sql, the schema replayed from its
// migrations (up to the last version the dump lists) with the tables and
// columns of the dump.
//
//	LOCKWISE_CORPUS_ROOT=/work/corpus go test -tags corpus -run TestStructureDumps -v ./analysis/workspace
func TestStructureDumps(t *testing.T) {
	root := os.Getenv("LOCKWISE_CORPUS_ROOT")
	if root == "" {
		t.Skip("set LOCKWISE_CORPUS_ROOT")
	}
	dumps, _ := filepath.Glob(filepath.Join(root, "*", "priv", "repo", "structure.sql"))
	versionRe := regexp.MustCompile(`\((\d{14})\)`)
	for _, dump := range dumps {
		project := filepath.Dir(filepath.Dir(filepath.Dir(dump)))
		t.Run(filepath.Base(project), func(t *testing.T) {
			src, _ := os.ReadFile(dump)
			var lines []string
			last := ""
			for _, l := range strings.Split(string(src), "\n") {
				if strings.HasPrefix(l, "\\") {
					continue // psql meta-commands (\restrict ...)
				}
				if strings.Contains(l, "schema_migrations") && strings.HasPrefix(l, "INSERT") || strings.HasPrefix(l, "(") {
					for _, m := range versionRe.FindAllStringSubmatch(l, -1) {
						if m[1] > last {
							last = m[1]
						}
					}
				}
				lines = append(lines, l)
			}
			want := newState()
			for _, st := range pgsql.Parse(strings.Join(lines, "\n")) {
				want.apply(st, Origin{}, nil)
			}
			pc := analysis.ReadProjectConfig(project)
			dir := filepath.Join(project, "priv", "repo", "migrations")
			w := Load(project, []string{dir}, func(string) *analysis.RepoConfig { return pc.RepoFor("priv/repo/migrations") })
			r := w.Repos()[0]
			// the state after the last migration the dump includes
			var probe string
			for _, p := range r.Paths() {
				if versionOf(p) > last {
					probe = p
					break
				}
			}
			got := r.Final()
			if probe != "" {
				got = r.Before(probe)
			}
			compare(t, got, want, last)
		})
	}
}

func compare(t *testing.T, got, want *State, version string) {
	tables, cols, okTables, okCols := 0, 0, 0, 0
	var diffs []string
	for _, wt := range want.Tables() {
		if wt.Name == "schema_migrations" {
			continue
		}
		tables++
		gt := got.Table(wt.Schema, wt.Name)
		if gt == nil && wt.Schema == "public" {
			gt = got.Table("", wt.Name)
		}
		if gt == nil {
			diffs = append(diffs, "missing table "+wt.Name)
			cols += len(wt.Columns)
			continue
		}
		okTables++
		for _, wc := range wt.Columns {
			cols++
			gc := gt.Column(wc.Name)
			switch {
			case gc == nil:
				diffs = append(diffs, "missing column "+wt.Name+"."+wc.Name)
			case gc.Type != wc.Type && !sameType(gc.Type, wc.Type):
				diffs = append(diffs, "type "+wt.Name+"."+wc.Name+": replay "+gc.Type+", dump "+wc.Type)
				okCols++ // the column is there
			default:
				okCols++
			}
		}
		for _, gc := range gt.Columns {
			if wt.Column(gc.Name) == nil {
				diffs = append(diffs, "extra column "+wt.Name+"."+gc.Name)
			}
		}
	}
	for _, gt := range got.Tables() {
		if want.Table(gt.Schema, gt.Name) == nil && want.Table("public", gt.Name) == nil {
			diffs = append(diffs, "extra table "+gt.Name)
		}
	}
	sort.Strings(diffs)
	t.Logf("dump at %s: tables %d/%d, columns %d/%d, %d differences", version, okTables, tables, okCols, cols, len(diffs))
	for i, d := range diffs {
		if i == 25 {
			t.Logf("... %d more", len(diffs)-25)
			break
		}
		t.Log("  " + d)
	}
}

// sameType treats the spellings a dump and Ecto use for one type as equal.
func sameType(a, b string) bool {
	norm := func(s string) string {
		s = strings.ReplaceAll(s, "public.", "")
		s = strings.ReplaceAll(s, "timestamp(0)", "timestamp")
		return s
	}
	return norm(a) == norm(b)
}
