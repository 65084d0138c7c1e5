package lsp

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"go.lsp.dev/protocol"
)

func TestSettingsMerge(t *testing.T) {
	base := DefaultSettings()
	for _, tc := range []struct {
		raw      string
		want     func(s Settings) bool
		problems int
	}{
		{`null`, func(s Settings) bool { return s.equal(base) }, 0},
		{`{}`, func(s Settings) bool { return s.equal(base) }, 0},
		{`"nonsense"`, func(s Settings) bool { return s.equal(base) }, 0},
		{`{"postgres_version": 12, "assume_utc": false, "lock_hints": false, "start_after": 20240101000000}`,
			func(s Settings) bool {
				return s.PostgresVersion == 12 && !s.AssumeUTC && !s.LockHints && s.StartAfter == "20240101000000"
			}, 0},
		{`{"lockwise": {"postgresVersion": "11", "lockHints": false, "migrations": ["db/migrate"]}}`,
			func(s Settings) bool {
				return s.PostgresVersion == 11 && !s.LockHints && len(s.Migrations) == 1
			}, 0},
		{`{"rules": {"index-not-concurrently": "error", "table-dropped": "off", "x": "loud"}}`,
			func(s Settings) bool {
				return s.Rules["index-not-concurrently"] == analysis.Error && s.Rules["table-dropped"] == analysis.Off && len(s.Rules) == 2
			}, 1},
		{`{"postgres_version": [1], "lock_hints": "yes", "assume_utc": false, "colour": 1}`,
			func(s Settings) bool { return s.PostgresVersion == 15 && s.LockHints && !s.AssumeUTC }, 3},
		{`{"postgres_version": 0}`, func(s Settings) bool { return s.PostgresVersion == 15 }, 1},
		{`{"postgres_version": null, "rules": null}`, func(s Settings) bool { return s.equal(base) }, 0},
	} {
		got, problems := base.merge(json.RawMessage(tc.raw))
		if !tc.want(got) || len(problems) != tc.problems {
			t.Errorf("merge(%s) = %+v, problems %q", tc.raw, got, problems)
		}
	}
	// Merging never mutates the rules map of the settings it starts from.
	a, _ := base.merge(json.RawMessage(`{"rules": {"r": "info"}}`))
	b, _ := a.merge(json.RawMessage(`{"rules": {"r": "error"}}`))
	if a.Rules["r"] != analysis.Info || b.Rules["r"] != analysis.Error {
		t.Errorf("rules shared between settings: %v %v", a.Rules, b.Rules)
	}
}

func TestMatchMigration(t *testing.T) {
	for _, tc := range []struct {
		globs []string
		rel   string
		want  bool
	}{
		{DefaultMigrations, "priv/repo/migrations/20240101000000_a.exs", true},
		{DefaultMigrations, "apps/web/priv/repo/migrations/20240101000000_a.exs", true},
		{DefaultMigrations, "priv/repo/migrations/a.ex", false},
		{DefaultMigrations, "priv/repo/seeds.exs", false},
		{DefaultMigrations, "priv/repo/migrations/sub/a.exs", false},
		{DefaultMigrations, "lib/priv/repo/migrations/a.exs", false},
		{[]string{"priv/*/migrations"}, "priv/repo/migrations/a.exs", true},
		{[]string{"./db/migrate/"}, "db/migrate/a.exs", true},
		{[]string{"db/migrate"}, "db/migrate/a.ex", false},
		{[]string{"**/migrations"}, "a/b/c/migrations/x.exs", true},
		{[]string{"**/migrations"}, "migrations/x.exs", true},
		{[]string{"legacy/**/*.exs"}, "legacy/x.exs", true},
		{[]string{"legacy/**/*.exs"}, "legacy/a/b/x.exs", true},
		{[]string{"[bad"}, "x.exs", false},
	} {
		if got := matchMigration(tc.globs, tc.rel); got != tc.want {
			t.Errorf("matchMigration(%q, %q) = %v", tc.globs, tc.rel, got)
		}
	}
}

func TestURIs(t *testing.T) {
	for _, tc := range []struct {
		doc, name, want string
		ok              bool
	}{
		// The client's escaping of the directory is kept (VS Code escapes the drive colon).
		{"file:///c%3A/proj/priv/repo/migrations/1_a.exs", "2_b.exs", "file:///c%3A/proj/priv/repo/migrations/2_b.exs", true},
		{"file:///p/m/1_a.exs", "2 été.exs", "file:///p/m/2%20%C3%A9t%C3%A9.exs", true},
		{"file:///p/m/1_a.exs", "../x.exs", "", false},
		{"file:///p/m/1_a.exs", "", "", false},
		{"untitled:Untitled-1", "2_b.exs", "", false},
	} {
		got, err := siblingURI(tc.doc, tc.name)
		if (err == nil) != tc.ok || string(got) != tc.want {
			t.Errorf("siblingURI(%q, %q) = %q, %v", tc.doc, tc.name, got, err)
		}
	}
	for _, tc := range []struct {
		uri, path string
		ok        bool
	}{
		{"file:///home/u/a%20b/x.exs", "/home/u/a b/x.exs", true},
		{"file://localhost/x.exs", "/x.exs", true},
		{"untitled:Untitled-1", "", false},
		{"file://", "", false},
		{"%%%", "", false},
	} {
		got, ok := uriToPath(tc.uri)
		if ok != tc.ok || got != filepath.FromSlash(tc.path) {
			t.Errorf("uriToPath(%q) = %q, %v", tc.uri, got, ok)
		}
	}
	if got := pathToURI("/home/u/a b/é.exs"); got != "file:///home/u/a%20b/%C3%A9.exs" {
		t.Errorf("pathToURI = %s", got)
	}
}

func TestSanitize(t *testing.T) {
	d := func(rule string, start, end int, sev analysis.Severity, fixes ...analysis.Fix) analysis.Diagnostic {
		return analysis.Diagnostic{Rule: rule, Start: start, End: end, Severity: sev, Message: rule, Fixes: fixes}
	}
	edit := func(s, e int) analysis.TextEdit { return analysis.TextEdit{Start: s, End: e, NewText: "x"} }
	out, problems := sanitize(&Analysis{
		Diagnostics: []analysis.Diagnostic{
			d("b", 5, 3, analysis.Warning), // reversed: end clamped to start
			d("off", 0, 1, analysis.Off),   // dropped
			d("a", -4, 99, analysis.Error, // clamped to the text
				analysis.Fix{Title: "ok", Edits: []analysis.TextEdit{edit(4, 6), edit(0, 2)}}, // sorted
				analysis.Fix{Title: "overlap", Edits: []analysis.TextEdit{edit(0, 3), edit(2, 4)}},
				analysis.Fix{Title: "outside", Edits: []analysis.TextEdit{edit(8, 12)}},
				analysis.Fix{Title: "", Edits: []analysis.TextEdit{edit(0, 1)}},
				analysis.Fix{Title: "bad name", NewFiles: []analysis.NewFile{{Name: "../x.exs"}}}),
			d("a", -4, 99, analysis.Error), // duplicate once clamped
		},
		Hovers:  []Hover{{Start: 2, End: 1, Text: "h"}, {Start: 0, End: 3}},
		Symbols: []Symbol{{Name: "m", Start: 0, End: 9, NameStart: 7, NameEnd: 20, Children: []Symbol{{Name: ""}}}},
		Hints:   []Hint{{Start: 0, End: 50, Label: "l"}, {Label: ""}},
	}, 10)
	if len(out.Diagnostics) != 2 || out.Diagnostics[0].Rule != "a" || out.Diagnostics[0].End != 10 || out.Diagnostics[1].End != 5 {
		t.Fatalf("diagnostics = %+v", out.Diagnostics)
	}
	if f := out.Diagnostics[0].Fixes; len(f) != 1 || f[0].Title != "ok" || f[0].Edits[0].Start != 0 {
		t.Errorf("fixes = %+v", f)
	}
	if len(problems) != 4 {
		t.Errorf("problems = %q", problems)
	}
	if len(out.Hovers) != 1 || out.Hovers[0].End != 2 {
		t.Errorf("hovers = %+v", out.Hovers)
	}
	if s := out.Symbols; len(s) != 1 || s[0].NameStart != 0 || s[0].NameEnd != 0 || len(s[0].Children) != 0 {
		t.Errorf("symbols = %+v", s)
	}
	if len(out.Hints) != 1 || out.Hints[0].End != 10 {
		t.Errorf("hints = %+v", out.Hints)
	}
}

func TestRelatedInOtherFiles(t *testing.T) {
	root := t.TempDir()
	schema := "defmodule App.User do\n  # é\n  field :legacy\nend\n"
	if err := os.MkdirAll(filepath.Join(root, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "lib/user.ex"), []byte(schema), 0o644); err != nil {
		t.Fatal(err)
	}
	s := newServer(context.Background(), nil, Options{Engine: &fakeEngine{}}, discardLogger())
	uri := string(pathToURI(filepath.Join(root, "priv/repo/migrations/1_a.exs")))
	at := strings.Index(schema, "field")
	a := &Analysis{Diagnostics: []analysis.Diagnostic{{
		Rule: "column-removed", Severity: analysis.Warning, Message: "m",
		Related: []analysis.Related{
			{Path: "lib/user.ex", Start: at, End: at + 5, Message: "still a field"},
			{Path: filepath.Join(root, "lib/missing.ex"), Start: 3, End: 4, Message: "gone"},
		},
	}}}
	snap := s.newSnapshot(job{uri: uri, place: placement{root: root, migration: true}, text: []byte("remove :legacy\n")}, a)
	rel := snap.diagnostics[0].RelatedInformation
	want := protocol.Range{Start: protocol.Position{Line: 2, Character: 2}, End: protocol.Position{Line: 2, Character: 7}}
	if len(rel) != 2 || string(rel[0].Location.URI) != string(pathToURI(filepath.Join(root, "lib/user.ex"))) || rel[0].Location.Range != want {
		t.Errorf("related = %+v", rel)
	}
	if rel[1].Location.Range != (protocol.Range{}) {
		t.Errorf("an unreadable file is pointed at its start: %+v", rel[1])
	}
}

// Deferred details are computed once, sanitised, and a panic there
// leaves them empty instead of taking the server down.
func TestDeferredDetails(t *testing.T) {
	s := newServer(context.Background(), nil, Options{Engine: &fakeEngine{}}, discardLogger())
	calls := 0
	a := &Analysis{Details: func() Details {
		calls++
		return Details{Hovers: []Hover{{Start: -3, End: 99, Text: "t"}}, Hints: []Hint{{Label: ""}}}
	}}
	snap := s.newSnapshot(job{uri: "file:///x.exs", text: []byte("0123456789"), place: placement{migration: true}}, a)
	if calls != 0 {
		t.Fatal("details computed before a request needed them")
	}
	for i := 0; i < 3; i++ {
		d := snap.details()
		if len(d.Hovers) != 1 || d.Hovers[0].Start != 0 || d.Hovers[0].End != 10 || len(d.Hints) != 0 {
			t.Fatalf("details = %+v", d)
		}
	}
	if calls != 1 {
		t.Errorf("details computed %d times", calls)
	}
	panicky := s.newSnapshot(job{uri: "file:///x.exs", text: []byte("x")}, &Analysis{Details: func() Details { panic("boom") }})
	if d := panicky.details(); len(d.Hovers) != 0 {
		t.Errorf("after a panic: %+v", d)
	}
}

// A hover asked before the details are computed renders only the hovers at
// the cursor (Analysis.HoverAt), sanitised; afterwards the details serve.
func TestHoverBeforeDetails(t *testing.T) {
	s := newServer(context.Background(), nil, Options{Engine: &fakeEngine{}}, discardLogger())
	var asked []int
	details := 0
	a := &Analysis{
		HoverAt: func(off int) []Hover {
			asked = append(asked, off)
			return []Hover{{Start: 2, End: 99, Text: "at"}}
		},
		Details: func() Details {
			details++
			return Details{Hovers: []Hover{{Start: 2, End: 5, Text: "all"}}}
		},
	}
	snap := s.newSnapshot(job{uri: "file:///x.exs", text: []byte("0123456789"), place: placement{migration: true}}, a)
	h, ok := snap.hoverAt(4)
	if !ok || h.Text != "at" || h.End != 10 || details != 0 || len(asked) != 1 || asked[0] != 4 {
		t.Fatalf("before details: %+v %v, details %d, asked %v", h, ok, details, asked)
	}
	snap.details()
	if h, ok := snap.hoverAt(4); !ok || h.Text != "all" || len(asked) != 1 {
		t.Fatalf("after details: %+v %v, asked %v", h, ok, asked)
	}
	panicky := s.newSnapshot(job{uri: "file:///x.exs", text: []byte("x")}, &Analysis{HoverAt: func(int) []Hover { panic("boom") }, Details: func() Details { return Details{} }})
	if _, ok := panicky.hoverAt(0); ok {
		t.Error("a panicking HoverAt gives no hover")
	}
}
