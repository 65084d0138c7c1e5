package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/grammar"
)

// project writes a mix project (slash paths → content) in a temporary
// directory and returns it.
func mixProject(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	files["mix.exs"] = "defmodule App.MixProject do\n  use Mix.Project\nend\n"
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// unicodeIndex has "é" (2 bytes, 1 UTF-16 unit) and "𐐀" (4 bytes, 2 UTF-16
// units) before the flagged call on line 5: the call starts at byte 19,
// UTF-16 unit 16, character 15.
const unicodeIndex = `defmodule App.Repo.Migrations.AddIndex do
  use Ecto.Migration

  def change do
    _ = "é𐐀"; create index(:users, [:email])
  end
end
`

// clean creates a table and indexes it: nothing to report.
const clean = `defmodule App.Repo.Migrations.CreateTags do
  use Ecto.Migration

  def change do
    create table(:tags) do
      add :name, :text
    end
    create index(:tags, [:name])
  end
end
`

// broken does not parse (the do block is not closed).
const broken = `defmodule App.Repo.Migrations.Broken do
  use Ecto.Migration

  def change do
    create table(:tags) do
      add :name, :text
  end
end
`

const (
	indexPath = "priv/repo/migrations/20240101000000_add_index.exs"
	cleanPath = "priv/repo/migrations/20240101000001_create_tags.exs"
)

// only keeps the output lines that mention one of the rules: the catalog
// grows, and these tests are about the formats, not about every rule.
func only(out string, rules ...string) string {
	var keep []string
	for _, l := range strings.SplitAfter(out, "\n") {
		for _, r := range rules {
			if strings.Contains(l, r) {
				keep = append(keep, l)
				break
			}
		}
	}
	return strings.Join(keep, "")
}

func TestCheckFormats(t *testing.T) {
	root := mixProject(t, map[string]string{indexPath: unicodeIndex, cleanPath: clean})
	t.Chdir(root)
	msg := "CREATE INDEX without CONCURRENTLY"
	cases := []struct {
		format string
		want   string // the line of the index finding, up to the message
	}{
		{"text", indexPath + ":5:15: warning index-not-concurrently " + msg},
		{"gcc", indexPath + ":5:15: warning: " + msg},
		{"github", "::warning file=" + indexPath + ",line=5,col=15,endLine=5,endColumn=45,title=index-not-concurrently::" + msg},
	}
	for _, c := range cases {
		out, errs, code := runCLI(t, "check", "--format", c.format, "priv")
		line := only(out, "index-not-concurrently")
		if code != 1 || errs != "" || !strings.HasPrefix(line, c.want) || strings.Count(line, "\n") != 1 {
			t.Errorf("%s: code %d, stderr %q, got:\n%s\nwant a line starting with:\n%s", c.format, code, errs, out, c.want)
		}
		if c.format == "gcc" && !strings.HasSuffix(line, " [index-not-concurrently]\n") {
			t.Errorf("gcc: the rule id ends the line: %q", line)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	root := mixProject(t, map[string]string{indexPath: unicodeIndex, cleanPath: clean, "priv/repo/migrations/20240101000002_broken.exs": broken})
	t.Chdir(root)
	out, _, code := runCLI(t, "check", "--format", "json")
	if code != 1 {
		t.Fatalf("code %d", code)
	}
	var got struct {
		FilesChecked int               `json:"files_checked"`
		ParseErrors  []json.RawMessage `json:"parse_errors"`
		Diagnostics  []json.RawMessage `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.FilesChecked != 3 || len(got.ParseErrors) == 0 {
		t.Fatalf("files_checked %d, parse_errors %s", got.FilesChecked, got.ParseErrors)
	}
	var pe map[string]any
	json.Unmarshal(got.ParseErrors[0], &pe)
	if !reflect.DeepEqual(keys(pe), []string{"line", "message", "path"}) || pe["path"] != "priv/repo/migrations/20240101000002_broken.exs" {
		t.Errorf("parse error: %v", pe)
	}
	var d map[string]any
	for _, raw := range got.Diagnostics {
		var x map[string]any
		json.Unmarshal(raw, &x)
		if x["rule"] == "index-not-concurrently" {
			d = x
		}
	}
	want := map[string]any{
		"path": indexPath, "line": 5.0, "column": 15.0, "end_line": 5.0, "end_column": 45.0,
		"rule": "index-not-concurrently", "severity": "warning", "classification": "risky", "lock": "SHARE", "table": "users",
	}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("%s = %v, want %v", k, d[k], v)
		}
	}
	if !reflect.DeepEqual(keys(d), []string{"classification", "column", "end_column", "end_line", "line", "lock", "message", "path", "rule", "severity", "table"}) {
		t.Errorf("diagnostic keys: %v", keys(d))
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestCheckExitCodes(t *testing.T) {
	root := mixProject(t, map[string]string{
		indexPath:  unicodeIndex,
		cleanPath:  clean,
		"lib/a.ex": "defmodule A do\nend\n",
		"priv/repo/migrations/20240101000002_broken.exs": broken,
		"infos/.lockwise.toml":                           "[rules]\nindex-not-concurrently = \"info\"\n",
		"infos/priv/repo/migrations/1_x.exs":             unicodeIndex,
	})
	t.Chdir(root)
	cases := []struct {
		name string
		args []string
		code int
		err  string // substring of stderr
	}{
		{"warning at the default threshold", []string{indexPath}, 1, ""},
		{"below --fail-on error", []string{"--fail-on", "error", indexPath}, 0, ""},
		{"--fail-on none", []string{"--fail-on", "none", indexPath}, 0, ""},
		{"flags after the paths", []string{indexPath, "--fail-on", "none"}, 0, ""},
		{"clean file", []string{cleanPath}, 0, ""},
		{"configured info, --fail-on warning", []string{"infos"}, 0, ""},
		{"configured info, --fail-on info", []string{"--fail-on", "info", "infos"}, 1, ""},
		{"--config replaces the configuration found", []string{"--config", "infos/.lockwise.toml", indexPath}, 0, ""},
		{"syntax error is an error", []string{"--fail-on", "error", "priv/repo/migrations/20240101000002_broken.exs"}, 1, ""},
		{"named file that is no migration", []string{"lib/a.ex", cleanPath}, 0, "lib/a.ex: not an Ecto migration"},
		{"missing path", []string{"nope", cleanPath}, 2, "nope"},
		{"missing path beats findings", []string{"nope", indexPath}, 2, "nope"},
		{"unknown format", []string{"--format", "xml", cleanPath}, 2, "--format must be"},
		{"unknown threshold", []string{"--fail-on", "fatal", cleanPath}, 2, "--fail-on must be"},
		{"--fail-on off is not a threshold", []string{"--fail-on", "off", cleanPath}, 2, "--fail-on must be"},
		{"bad version", []string{"--pg-version", "150", cleanPath}, 2, "--pg-version"},
		{"missing --config", []string{"--config", "nope.toml", cleanPath}, 2, "nope.toml"},
		{"unknown flag", []string{"--frobnicate", cleanPath}, 2, "frobnicate"},
	}
	for _, c := range cases {
		_, errs, code := runCLI(t, append([]string{"check"}, c.args...)...)
		if code != c.code || c.err != "" && !strings.Contains(errs, c.err) || c.err == "" && errs != "" {
			t.Errorf("%s: code %d (want %d), stderr %q (want %q)", c.name, code, c.code, errs, c.err)
		}
	}
	// No path in a project without migrations: said on stderr, exit 0.
	t.Chdir(mixProject(t, map[string]string{"lib/a.ex": "defmodule A do\nend\n"}))
	if out, errs, code := runCLI(t, "check"); code != 0 || out != "" || !strings.Contains(errs, "no migration found") {
		t.Errorf("empty project: code %d, stdout %q, stderr %q", code, out, errs)
	}
	t.Chdir(t.TempDir())
	if _, errs, code := runCLI(t, "check"); code != 2 || !strings.Contains(errs, "not inside a mix project") {
		t.Errorf("outside a project: code %d, stderr %q", code, errs)
	}
	if _, _, code := runCLI(t, "check", "--help"); code != 0 {
		t.Errorf("--help: code %d", code)
	}
}

func TestCheckBrokenConfigIsReportedOnce(t *testing.T) {
	root := mixProject(t, map[string]string{
		".lockwise.toml": "postgres_version = \"fifteen\"\n",
		indexPath:        unicodeIndex,
		cleanPath:        clean,
	})
	t.Chdir(root)
	out, errs, code := runCLI(t, "check")
	if code != 1 || strings.Count(errs, "postgres_version must be") != 1 || strings.Count(errs, "\n") != 1 {
		t.Fatalf("code %d, want one message on stderr, got %q", code, errs)
	}
	if !strings.Contains(out, "index-not-concurrently") {
		t.Fatalf("the defaults apply:\n%s", out)
	}
}

func TestCheckOrderIsStable(t *testing.T) {
	files := map[string]string{}
	var want []string
	for i := 0; i < 40; i++ {
		name := fmt.Sprintf("priv/repo/migrations/2024010100%04d_m%d.exs", i, i)
		src := strings.Replace(unicodeIndex, "AddIndex", fmt.Sprintf("M%d", i), 1)
		// Two findings per file, the second on a later line.
		src = strings.Replace(src, "  end\nend", "    create index(:posts, [:title])\n  end\nend", 1)
		files[name] = src
		want = append(want, name+":5:15:", name+":6:5:")
	}
	root := mixProject(t, files)
	t.Chdir(root)
	out, _, _ := runCLI(t, "check", "--format", "gcc")
	var got []string
	for _, l := range strings.Split(only(out, "index-not-concurrently"), "\n") {
		if l != "" {
			got = append(got, l[:strings.Index(l, " ")])
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("order:\n%s", strings.Join(got, "\n"))
	}
}

func TestGitHubEscapes(t *testing.T) {
	var b strings.Builder
	f := finding{Path: "priv/a,b:c.exs", span: span{1, 2, 3, 4}, Rule: "r", Severity: analysis.Info, Message: "100% sure\r\nnext: line, end"}
	writeGitHub(&b, checkReport{Findings: []finding{f}})
	want := "::notice file=priv/a%2Cb%3Ac.exs,line=1,col=2,endLine=3,endColumn=4,title=r::100%25 sure%0D%0Anext: line, end\n"
	if b.String() != want {
		t.Fatalf("got  %q\nwant %q", b.String(), want)
	}
}

func TestPosition(t *testing.T) {
	src := "é𐐀x\r\nab\n\nlast"
	lines := grammar.NewLines([]byte(src))
	cases := []struct{ off, line, col int }{
		{0, 1, 1},
		{2, 1, 2},  // after é (2 bytes)
		{6, 1, 3},  // after 𐐀 (4 bytes): one character
		{7, 1, 4},  // end of the line's content
		{8, 1, 4},  // inside "\r\n"
		{9, 2, 1},  // "ab"
		{12, 3, 1}, // empty line
		{len(src), 4, 5},
		{len(src) + 10, 4, 5}, // clamped
		{-1, 1, 1},
	}
	for _, c := range cases {
		if l, col := position(lines, c.off); l != c.line || col != c.col {
			t.Errorf("offset %d: %d:%d, want %d:%d", c.off, l, col, c.line, c.col)
		}
	}
}
