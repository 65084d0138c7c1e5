package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	c, err := Parse([]byte(`
postgres_version = 11
migrations = ["priv/repo/migrations", "apps/*/priv/*/migrations"]
start_after = 20240101000000
assume_utc = false

[rules]
index-not-concurrently = "error"
json-column = "OFF"
`), "/p/.lockwise.toml")
	if err != nil {
		t.Fatal(err)
	}
	if c.PostgresVersion != 11 || c.StartAfter != "20240101000000" || c.AssumeUTC || len(c.Migrations) != 2 ||
		c.Rules["index-not-concurrently"] != "error" || c.Rules["json-column"] != "off" || c.Dir() != "/p" {
		t.Fatalf("%+v", c)
	}
}

func TestBrokenConfigGivesDefaultsAndOneClearError(t *testing.T) {
	cases := map[string]string{
		"postgres_version = \n":          ".lockwise.toml:",
		"postgres_verison = 12\n":        "unknown setting postgres_verison",
		"postgres_version = \"fifteen\"": "postgres_version must be a major version",
		"start_after = \"last week\"":    "start_after must be a migration version",
		"migrations = [\"[\"]":           "bad migrations glob",
	}
	for text, want := range cases {
		c, err := Parse([]byte(text), ".lockwise.toml")
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "defaults") {
			t.Errorf("%q: error %v, want %q", text, err, want)
		}
		if c.PostgresVersion != 15 || !c.AssumeUTC {
			t.Errorf("%q: the defaults must apply, got %+v", text, c)
		}
	}
}

func TestFindUpward(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "apps", "shop", "priv", "repo", "migrations")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep); got != "" {
		t.Fatalf("found %q in an empty tree", got)
	}
	p := filepath.Join(root, "apps", "shop", FileName)
	os.WriteFile(p, []byte("postgres_version = 13\n"), 0o644)
	if got := Find(deep); got != p {
		t.Fatalf("Find = %q, want %q", got, p)
	}
}
