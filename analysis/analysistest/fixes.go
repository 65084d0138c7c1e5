package analysistest

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/grammar"
)

var update = flag.Bool("update", false, "rewrite the .golden files of the suggested fixes")

// RunWithSuggestedFixes applies, for every .exs file of dir that has a
// .golden file next to it, each suggested fix (all fixes sharing a title
// together) and compares the result with the golden file: a txtar archive
// with one section per fix title, holding the edited file, and one section
// `Title => name` per new file the fix creates. Every edited file and every
// new file must parse without a syntax error; a new migration must be a
// migration.
func RunWithSuggestedFixes(t *testing.T, dir string, a *analysis.Analyzer, opts ...Options) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.exs"))
	for _, path := range files {
		golden := path + ".golden"
		if _, err := os.Stat(golden); err != nil && !*update {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		res := analyse(path, src, a, opts)
		byTitle := map[string][]analysis.Fix{}
		for _, d := range res.Diagnostics {
			for _, f := range d.Fixes {
				byTitle[f.Title] = append(byTitle[f.Title], f)
			}
		}
		var titles []string
		for k := range byTitle {
			titles = append(titles, k)
		}
		sort.Strings(titles)
		var arch []section
		for _, title := range titles {
			fixes := byTitle[title]
			var edits []analysis.TextEdit
			for _, f := range fixes {
				edits = append(edits, f.Edits...)
			}
			out, err := ApplyEdits(src, edits)
			if err != nil {
				t.Errorf("%s: fix %q: %v", path, title, err)
				continue
			}
			checkParses(t, path+" after "+title, out, false)
			arch = append(arch, section{name: title, data: out})
			seen := map[string]bool{}
			for _, f := range fixes {
				for _, nf := range f.NewFiles {
					if seen[nf.Name] {
						continue
					}
					seen[nf.Name] = true
					checkParses(t, nf.Name+" created by "+title, []byte(nf.Content), strings.HasSuffix(nf.Name, ".exs"))
					arch = append(arch, section{name: title + " => " + nf.Name, data: []byte(nf.Content)})
				}
			}
		}
		got := formatArchive(arch)
		if *update {
			if len(arch) == 0 {
				os.Remove(golden)
				continue
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s: fixes differ from %s (go test -update to accept)\n--- got\n%s\n--- want\n%s", path, golden, got, want)
		}
	}
}

// checkParses fails the test when src has a syntax error, or when it should
// be a migration and is not one.
func checkParses(t *testing.T, what string, src []byte, migration bool) {
	t.Helper()
	f := grammar.Parse(src)
	if len(f.Errors) > 0 {
		t.Errorf("%s has a syntax error at byte %d:\n%s", what, f.Errors[0].Start, src)
	}
	if migration {
		m := analysis.Build("new.exs", f, analysis.BuildOptions{})
		if m.Module == "" {
			t.Errorf("%s is not an Ecto migration:\n%s", what, src)
		}
		for _, p := range m.Problems {
			if p.Kind == analysis.Rejected {
				t.Errorf("%s: Ecto would reject it: %s", what, p.Message)
			}
		}
	}
}

// ApplyEdits applies non-overlapping edits to src.
func ApplyEdits(src []byte, edits []analysis.TextEdit) ([]byte, error) {
	sorted := append([]analysis.TextEdit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	var b strings.Builder
	pos := 0
	for i, e := range sorted {
		if i > 0 && e == sorted[i-1] {
			continue // fixes of several diagnostics may add the same text (module attributes)
		}
		if e.Start < pos || e.End < e.Start || e.End > len(src) {
			return nil, &editError{e}
		}
		b.Write(src[pos:e.Start])
		b.WriteString(e.NewText)
		pos = e.End
	}
	b.Write(src[pos:])
	return []byte(b.String()), nil
}

type editError struct{ e analysis.TextEdit }

func (e *editError) Error() string { return "overlapping or out-of-range edit" }

type section struct {
	name string
	data []byte
}

// formatArchive writes sections in txtar form ("-- name --" lines).
func formatArchive(ss []section) []byte {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString("-- " + s.name + " --\n")
		b.Write(s.data)
		if len(s.data) > 0 && s.data[len(s.data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return []byte(b.String())
}
