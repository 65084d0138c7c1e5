// Package analysistest runs a rule over testdata migrations whose expected
// diagnostics are written as `# want` comments, in the style of
// golang.org/x/tools/go/analysis/analysistest:
//
//	create index(:users, [:email]) # want "without CONCURRENTLY"
//	# want +2 "without CONCURRENTLY"
//	execute """
//	CREATE INDEX i ON users (email)
//	"""
//
// A `# want` comment holds one or more quoted regular expressions, each
// matching one diagnostic that starts on the comment's line (or N lines
// below with `+N`). Every diagnostic must be expected and every expectation
// met. Only real comments count, never text inside strings.
//
// A file may start with `# settings: postgres_version=10 assume_utc=false`.
package analysistest

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/grammar"
)

// Catalog is the full rule list, used to validate suppression comments; the
// rules package sets it in its tests (this package cannot import it).
var Catalog []*analysis.Analyzer

// Options tune a run. Schema, when set, is the workspace knowledge given to
// the rules.
type Options struct {
	Schema analysis.Schema
}

var wantRe = regexp.MustCompile(`^#\s*want(?:\s+\+(\d+))?\s+(.*)$`)

type expectation struct {
	line int // 0-based
	re   *regexp.Regexp
	met  bool
}

// Run checks a over every .exs file of dir.
func Run(t *testing.T, dir string, a *analysis.Analyzer, opts ...Options) []*check.Result {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.exs"))
	if len(files) == 0 {
		t.Fatalf("no .exs files in %s", dir)
	}
	var results []*check.Result
	for _, path := range files {
		results = append(results, RunFile(t, path, a, opts...))
	}
	return results
}

// RunFile checks a over one file.
func RunFile(t *testing.T, path string, a *analysis.Analyzer, opts ...Options) *check.Result {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res := analyse(path, src, a, opts)
	m := res.Migration
	if m.Module == "" {
		t.Errorf("%s: not a migration", path)
		return res
	}
	var wants []*expectation
	for _, c := range m.File.Comments {
		mt := wantRe.FindStringSubmatch(strings.TrimSpace(c.Text))
		if mt == nil {
			continue
		}
		line := m.Lines.Line(c.Start)
		if mt[1] != "" {
			n, _ := strconv.Atoi(mt[1])
			line += n
		}
		for _, q := range quoted(mt[2]) {
			re, err := regexp.Compile(q)
			if err != nil {
				t.Errorf("%s:%d: bad want regexp %q: %v", path, line+1, q, err)
				continue
			}
			wants = append(wants, &expectation{line: line, re: re})
		}
	}
	var problems []string
	for _, d := range res.Diagnostics {
		if d.Start < 0 || d.End < d.Start || d.End > len(src) {
			problems = append(problems, path+": diagnostic with a bad range: "+d.Message)
			continue
		}
		line := m.Lines.Line(d.Start)
		ok := false
		for _, w := range wants {
			if !w.met && w.line == line && w.re.MatchString(d.Message) {
				w.met, ok = true, true
				break
			}
		}
		if !ok {
			problems = append(problems, posString(path, m, d.Start)+": unexpected diagnostic ["+d.Rule+"]: "+d.Message)
		}
	}
	for _, w := range wants {
		if !w.met {
			problems = append(problems, path+":"+strconv.Itoa(w.line+1)+": no diagnostic was reported matching "+strconv.Quote(w.re.String()))
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
	return res
}

func analyse(path string, src []byte, a *analysis.Analyzer, opts []Options) *check.Result {
	s := check.DefaultSettings()
	s.Catalog = Catalog
	if len(opts) > 0 {
		s.Schema = opts[0].Schema
	}
	applySettingsComment(&s, src)
	return check.Run(path, grammar.Parse(src), s, []*analysis.Analyzer{a})
}

// applySettingsComment reads a first-line `# settings: key=value ...`.
func applySettingsComment(s *check.Settings, src []byte) {
	first, _, _ := strings.Cut(string(src), "\n")
	rest, ok := strings.CutPrefix(strings.TrimSpace(first), "# settings:")
	if !ok {
		return
	}
	for _, kv := range strings.Fields(rest) {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "postgres_version":
			s.PGVersion, _ = strconv.Atoi(v)
		case "assume_utc":
			s.AssumeUTC = v == "true"
		case "start_after":
			s.StartAfter = v
		}
	}
}

// quoted extracts the Go-quoted strings ("..." or `...`) of s.
func quoted(s string) []string {
	var out []string
	for {
		s = strings.TrimSpace(s)
		if s == "" {
			return out
		}
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return out
		}
		v, _ := strconv.Unquote(q)
		out = append(out, v)
		s = s[len(q):]
	}
}

func posString(path string, m *analysis.Migration, off int) string {
	line, col := m.Lines.Position(off)
	return path + ":" + strconv.Itoa(line+1) + ":" + strconv.Itoa(col+1)
}
