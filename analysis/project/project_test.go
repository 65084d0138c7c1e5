package project

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/grammar"
)

// tree writes files (slash paths → content) under a new temporary
// directory and returns it.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
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

func migration(module string) string {
	return "defmodule " + module + " do\n  use Ecto.Migration\n\n  def change do\n    create index(:users, [:email])\n  end\nend\n"
}

// catalog stands for rules.All, which this package must not import.
var catalog = []*analysis.Analyzer{
	{Name: "index-not-concurrently", Severity: analysis.Warning, Run: func(*analysis.Pass) {}},
	{Name: "json-column", Severity: analysis.Info, Run: func(*analysis.Pass) {}},
}

// rel lists targets relative to root, with "!" marking explicit ones.
func rel(t *testing.T, root string, targets []Target) []string {
	t.Helper()
	var out []string
	for _, tg := range targets {
		abs, _ := filepath.Abs(tg.Path)
		r, err := filepath.Rel(root, abs)
		if err != nil {
			t.Fatal(err)
		}
		r = filepath.ToSlash(r)
		if tg.Explicit {
			r += "!"
		}
		out = append(out, r)
	}
	return out
}

func TestUmbrellaWithTwoApps(t *testing.T) {
	root := tree(t, map[string]string{
		"mix.exs":              "defmodule Umbrella.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: \"apps\"]\nend\n",
		"config/config.exs":    "import Config\nconfig :billing, Billing.Repo, migration_lock: :pg_advisory_lock\nconfig :shop, Shop.OtherRepo, migration_lock: false\n",
		"apps/billing/mix.exs": "defmodule Billing.MixProject do\n  use Mix.Project\nend\n",
		"apps/billing/priv/repo/migrations/1_a.exs":          migration("Billing.Repo.Migrations.A"),
		"apps/billing/priv/repo/migrations/.formatter.exs":   "[import_deps: [:ecto_sql], inputs: [\"*.exs\"]]\n",
		"apps/shop/mix.exs":                                  "defmodule Shop.MixProject do\n  use Mix.Project\nend\n",
		"apps/shop/priv/other_repo/migrations/2_b.exs":       migration("Shop.OtherRepo.Migrations.B"),
		"apps/shop/lib/shop.ex":                              "defmodule Shop do\nend\n",
		"apps/shop/deps/ecto_sql/priv/repo/migrations/3.exs": migration("Dep.Migrations.C"),
		"apps/shop/_build/dev/priv/repo/migrations/4_c.exs":  migration("Build.Migrations.C"),
		"apps/shop/priv/other_repo/migrations/README.md":     "not a migration\n",
	})
	l := NewLoader(Options{Catalog: catalog})
	a := l.File(filepath.Join(root, "apps/billing/priv/repo/migrations/1_a.exs"))
	b := l.File(filepath.Join(root, "apps/shop/priv/other_repo/migrations/2_b.exs"))
	if a.Root != root || b.Root != root {
		t.Fatalf("umbrella apps have the umbrella as root: %q %q, want %q", a.Root, b.Root, root)
	}
	if !a.Migration || !b.Migration {
		t.Fatalf("both apps' migrations match apps/*/priv/*/migrations: %v %v", a.Migration, b.Migration)
	}
	if a.Settings.Repo.MigrationLock != "pg_advisory_lock" || b.Settings.Repo.MigrationLock != "none" {
		t.Fatalf("repo config from the umbrella's config/: %q %q", a.Settings.Repo.MigrationLock, b.Settings.Repo.MigrationLock)
	}
	if !reflect.DeepEqual(a.Settings.Siblings, []string{".formatter.exs", "1_a.exs"}) {
		t.Fatalf("siblings: %q", a.Settings.Siblings)
	}
	if lib := l.File(filepath.Join(root, "apps/shop/lib/shop.ex")); lib.Migration {
		t.Fatal("lib/ is not a migration directory")
	}

	// No path: the migrations of the project around the working directory,
	// from the umbrella root or from inside an app.
	want := []string{"apps/billing/priv/repo/migrations/1_a.exs", "apps/shop/priv/other_repo/migrations/2_b.exs"}
	for _, wd := range []string{root, filepath.Join(root, "apps/shop/lib")} {
		t.Chdir(wd)
		targets, errs := NewLoader(Options{}).Discover(nil)
		if len(errs) != 0 || !reflect.DeepEqual(rel(t, root, targets), want) {
			t.Fatalf("from %s: %v %v, want %v", wd, rel(t, root, targets), errs, want)
		}
	}
	// A directory is searched recursively, deps/ and _build/ skipped.
	targets, errs := l.Discover([]string{filepath.Join(root, "apps")})
	if len(errs) != 0 || !reflect.DeepEqual(rel(t, root, targets), want) {
		t.Fatalf("directory search: %v %v", rel(t, root, targets), errs)
	}
}

func TestTwoReposInOneApp(t *testing.T) {
	root := tree(t, map[string]string{
		"mix.exs": "defmodule Shop.MixProject do\n  use Mix.Project\nend\n",
		"config/config.exs": "import Config\n" +
			"config :shop, Shop.Repo, migration_lock: false\n" +
			"config :shop, Shop.ReadRepo, priv: \"priv/read\", migration_lock: :pg_advisory_lock\n",
		"priv/repo/migrations/1_a.exs":  migration("Shop.Repo.Migrations.A"),
		"priv/read/migrations/2_b.exs":  migration("Shop.ReadRepo.Migrations.B"),
		"priv/other/migrations/3_c.exs": migration("Shop.Other.Migrations.C"),
	})
	l := NewLoader(Options{})
	for name, lock := range map[string]string{
		"priv/repo/migrations/1_a.exs":  "none",
		"priv/read/migrations/2_b.exs":  "pg_advisory_lock",
		"priv/other/migrations/3_c.exs": "table_lock", // not configured: Ecto's default
	} {
		f := l.File(filepath.Join(root, name))
		if !f.Migration || f.Settings.Repo.MigrationLock != lock {
			t.Errorf("%s: migration %v, lock %q, want %q", name, f.Migration, f.Settings.Repo.MigrationLock, lock)
		}
	}
	t.Chdir(root)
	targets, _ := l.Discover(nil)
	if got := rel(t, root, targets); len(got) != 3 {
		t.Fatalf("every repo's migrations: %v", got)
	}
}

func TestCustomGlob(t *testing.T) {
	root := tree(t, map[string]string{
		"mix.exs":                      "defmodule App.MixProject do\n  use Mix.Project\nend\n",
		".lockwise.toml":               "migrations = [\"db/**/migrations\", \"legacy/*.exs\"]\npostgres_version = 12\n",
		"db/main/migrations/1_a.exs":   migration("A"),
		"db/migrations/2_b.ex":         migration("B"),
		"legacy/3_c.exs":               migration("C"),
		"priv/repo/migrations/4_d.exs": migration("D"),
	})
	l := NewLoader(Options{})
	for name, want := range map[string]bool{
		"db/main/migrations/1_a.exs":   true,
		"db/migrations/2_b.ex":         true, // ** matches no segment; .ex files count
		"legacy/3_c.exs":               true,
		"priv/repo/migrations/4_d.exs": false, // the globs replace the defaults
	} {
		f := l.File(filepath.Join(root, name))
		if f.Migration != want {
			t.Errorf("%s: migration %v, want %v", name, f.Migration, want)
		}
		if f.Settings.PGVersion != 12 {
			t.Errorf("%s: postgres_version %d, want 12", name, f.Settings.PGVersion)
		}
	}
	t.Chdir(root)
	targets, errs := l.Discover(nil)
	want := []string{"db/main/migrations/1_a.exs", "db/migrations/2_b.ex", "legacy/3_c.exs"}
	if len(errs) != 0 || !reflect.DeepEqual(rel(t, root, targets), want) {
		t.Fatalf("%v %v, want %v", rel(t, root, targets), errs, want)
	}
	// --pg-version wins over the file.
	if f := NewLoader(Options{PGVersion: 16}).File(filepath.Join(root, "legacy/3_c.exs")); f.Settings.PGVersion != 16 {
		t.Fatalf("override: %d", f.Settings.PGVersion)
	}
}

func TestBrokenConfigIsReportedOnceAndDefaultsApply(t *testing.T) {
	cases := map[string]string{
		"postgres_version = \"fifteen\"\n":                         "postgres_version must be a major version",
		"[rules]\nno-such-rule = \"error\"\n":                      `unknown rule "no-such-rule"`,
		"postgres_version = 11\n[rules]\njson-column = \"loud\"\n": `json-column = "loud" is not a severity`,
		"postgres_version = \n":                                    "expected value",
	}
	for text, want := range cases {
		root := tree(t, map[string]string{
			"mix.exs":                      "defmodule App.MixProject do\n  use Mix.Project\nend\n",
			".lockwise.toml":               text,
			"priv/repo/migrations/1_a.exs": migration("A"),
			"priv/repo/migrations/2_b.exs": migration("B"),
		})
		l := NewLoader(Options{Catalog: catalog})
		for _, name := range []string{"1_a.exs", "2_b.exs"} {
			f := l.File(filepath.Join(root, "priv/repo/migrations", name))
			if f.Settings.PGVersion != 15 || len(f.Settings.Severities) != 0 || !f.Settings.AssumeUTC || !f.Migration {
				t.Errorf("%q: the defaults must apply: %+v", text, f.Settings)
			}
			if f.Config.Err == nil {
				t.Errorf("%q: File.Config.Err must be set", text)
			}
		}
		probs := l.Problems()
		if len(probs) != 1 || !strings.Contains(probs[0].Error(), want) || !strings.Contains(probs[0].Error(), filepath.Join(root, ".lockwise.toml")) {
			t.Errorf("%q: want one problem naming the file and %q, got %v", text, want, probs)
		}
	}
}

func TestSeveritiesAndStartAfter(t *testing.T) {
	root := tree(t, map[string]string{
		"mix.exs":        "defmodule App.MixProject do\n  use Mix.Project\nend\n",
		".lockwise.toml": "start_after = 20240101000000\nassume_utc = false\n[rules]\nindex-not-concurrently = \"error\"\njson-column = \"off\"\n",
		"priv/repo/migrations/20231231000000_old.exs": migration("Old"),
		"priv/repo/migrations/20240102000000_new.exs": migration("New"),
	})
	l := NewLoader(Options{Catalog: catalog})
	f := l.File(filepath.Join(root, "priv/repo/migrations/20231231000000_old.exs"))
	want := map[string]analysis.Severity{"index-not-concurrently": analysis.Error, "json-column": analysis.Off}
	if !reflect.DeepEqual(f.Settings.Severities, want) || f.Settings.StartAfter != "20240101000000" || f.Settings.AssumeUTC {
		t.Fatalf("%+v", f.Settings)
	}
	if len(l.Problems()) != 0 {
		t.Fatalf("problems: %v", l.Problems())
	}
	// check.Run honours start_after with these settings.
	report := &analysis.Analyzer{Name: "index-not-concurrently", Severity: analysis.Warning, Run: func(p *analysis.Pass) {
		p.Report(analysis.Diagnostic{Start: 0, End: 1, Message: "x"})
	}}
	for name, skipped := range map[string]bool{"20231231000000_old.exs": true, "20240102000000_new.exs": false} {
		path := filepath.Join(root, "priv/repo/migrations", name)
		src, _ := os.ReadFile(path)
		res := check.Run(path, grammar.Parse(src), l.File(path).Settings, []*analysis.Analyzer{report})
		if res.Skipped != skipped || skipped == (len(res.Diagnostics) == 1) {
			t.Errorf("%s: skipped %v, diagnostics %d", name, res.Skipped, len(res.Diagnostics))
		}
		if !skipped && res.Diagnostics[0].Severity != analysis.Error {
			t.Errorf("%s: the configured severity applies: %v", name, res.Diagnostics[0].Severity)
		}
	}
}

func TestRoot(t *testing.T) {
	root := tree(t, map[string]string{
		"plain/mix.exs":                "defmodule P.MixProject do\n  use Mix.Project\nend\n",
		"plain/priv/repo/migrations/x": "",
		"umb/mix.exs":                  "defmodule U.MixProject do\n  use Mix.Project\nend\n", // no apps_path: recognised by apps/*/mix.exs
		"umb/apps/a/mix.exs":           "defmodule A.MixProject do\n  use Mix.Project\nend\n",
		"umb/apps/a/priv/repo/x.exs":   "",
		"loose/priv/repo/migrations/y": "",
	})
	cases := map[string]string{
		"plain/priv/repo/migrations/x": "plain",
		"plain/priv/repo/migrations":   "plain",
		"plain":                        "plain",
		"umb/apps/a/priv/repo/x.exs":   "umb",
		"umb/apps/a":                   "umb",
		"loose/priv/repo/migrations/y": "",
	}
	for p, want := range cases {
		got, ok := Root(filepath.Join(root, p))
		if want == "" {
			if ok {
				t.Errorf("%s: root %q outside any mix project", p, got)
			}
			continue
		}
		if !ok || got != filepath.Join(root, want) {
			t.Errorf("%s: root %q, want %q", p, got, want)
		}
	}
	t.Chdir(filepath.Join(root, "loose"))
	if _, errs := NewLoader(Options{}).Discover(nil); len(errs) != 1 || errs[0] != ErrNoProject {
		t.Fatalf("outside a project: %v", errs)
	}
}

func TestDiscoverPaths(t *testing.T) {
	root := tree(t, map[string]string{
		"a/priv/repo/migrations/1_x.exs":        migration("X"),
		"a/priv/repo/migrations/2_helper.ex":    "defmodule Helper do\nend\n",
		"a/priv/repo/migrations/.formatter.exs": "[import_deps: [:ecto_sql]]\n",
		"a/lib/wrapper.ex":                      "defmodule App.Migration do\n  defmacro __using__(_), do: quote(do: use Ecto.Migration)\nend\n",
		"a/node_modules/x/priv/repo/m.exs":      migration("N"),
		"a/.elixir_ls/build/m.exs":              migration("E"),
		"b/notes.txt":                           "Migration",
	})
	l := NewLoader(Options{})
	named := filepath.Join(root, "b/notes.txt")
	targets, errs := l.Discover([]string{filepath.Join(root, "a"), named, filepath.Join(root, "a/priv/repo/migrations/1_x.exs"), filepath.Join(root, "missing")})
	want := []string{"a/lib/wrapper.ex", "a/priv/repo/migrations/1_x.exs!", "b/notes.txt!"} // named and found: named wins
	if got := rel(t, root, targets); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if len(errs) != 1 || !os.IsNotExist(errs[0]) {
		t.Fatalf("a missing path is an error: %v", errs)
	}
}

func TestMatchMigration(t *testing.T) {
	globs := []string{"priv/*/migrations", "apps/*/priv/*/migrations", "./db/**/*.exs"}
	cases := map[string]bool{
		"priv/repo/migrations/1_a.exs":           true,
		"priv/repo/migrations/1_a.ex":            true,
		"priv/repo/migrations/.formatter.exs":    false,
		"priv/repo/migrations/notes.md":          false,
		"priv/repo/migrations/sub/1_a.exs":       false,
		"apps/shop/priv/repo/migrations/1_a.exs": true,
		"db/1.exs":                               true,
		"db/x/y/1.exs":                           true,
		"db/x/y/1.ex":                            false,
		"../priv/repo/migrations/1_a.exs":        false,
		"lib/priv/repo/migrations/1_a.exs":       false,
	}
	for p, want := range cases {
		if got := MatchMigration(globs, p); got != want {
			t.Errorf("%s: %v, want %v", p, got, want)
		}
	}
}
