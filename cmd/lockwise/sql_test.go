package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return out.String(), errb.String(), code
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const migration = `defmodule App.Repo.Migrations.AddIndex do
  use Ecto.Migration

  def change do
    create index(:users, [:email])
    execute """
    UPDATE users
       SET email = lower(email)
    """, "SELECT 1"
  end
end
`

func TestSQLText(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "20240101000000_add_index.exs", migration)
	out, errs, code := runCLI(t, "sql", p)
	want := "CREATE INDEX \"users_email_index\" ON \"users\" (\"email\");\nUPDATE users SET email = lower(email);\n"
	if code != 0 || out != want {
		t.Fatalf("code %d, stderr %q\nstdout:\n%s\nwant:\n%s", code, errs, out, want)
	}
	out, _, code = runCLI(t, "sql", "--direction", "down", p)
	if want := "SELECT 1;\nDROP INDEX \"users_email_index\";\n"; code != 0 || out != want {
		t.Fatalf("down: code %d, got:\n%s", code, out)
	}
}

func TestSQLSeveralFilesHaveHeaders(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "1_a.exs", migration)
	b := writeFile(t, dir, "2_b.exs", strings.Replace(migration, "AddIndex", "B", 1))
	out, _, code := runCLI(t, "sql", a, b)
	if code != 0 || !strings.HasPrefix(out, "-- "+a+"\n") || !strings.Contains(out, "\n-- "+b+"\n") {
		t.Fatalf("code %d, out:\n%s", code, out)
	}
}

func TestSQLIrreversibleDownExits1(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "1_x.exs", strings.Replace(migration, `, "SELECT 1"`, "", 1))
	_, errs, code := runCLI(t, "sql", "--direction", "down", p)
	if code != 1 || !strings.Contains(errs, "cannot reverse migration command: execute") {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
}

func TestSQLNotAMigrationExits2(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "x.exs", "defmodule X do\n  use GenServer\nend\n")
	_, errs, code := runCLI(t, "sql", p)
	if code != 2 || !strings.Contains(errs, "not an Ecto migration") {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
	_, _, code = runCLI(t, "sql", filepath.Join(dir, "missing.exs"))
	if code != 2 {
		t.Fatalf("a missing file must exit 2, got %d", code)
	}
}

func TestSQLJSON(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "1_x.exs", migration)
	out, _, code := runCLI(t, "sql", "--format", "json", p)
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	var got sqlFileJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Operations) != 2 || got.Operations[0].Kind != "create_index" || *got.Operations[0].Table != "users" ||
		got.Operations[0].Line != 5 || got.Operations[1].Line != 6 || got.Operations[1].EndLine != 9 {
		t.Fatalf("unexpected JSON: %+v", got)
	}
}

func TestUnknownCommandExits2(t *testing.T) {
	_, errs, code := runCLI(t, "frobnicate")
	if code != 2 || !strings.Contains(errs, "Usage") {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
	if out, _, code := runCLI(t, "version"); code != 0 || !strings.HasPrefix(out, "lockwise ") {
		t.Fatalf("version: %d %q", code, out)
	}
}
