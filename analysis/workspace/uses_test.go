package workspace

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func useList(src map[string]string, us []Use) string {
	var out []string
	for _, u := range us {
		text := src[filepath.Base(u.Path)][u.Start:u.End]
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			text = text[:i]
		}
		decl := ""
		if u.Creates {
			decl = " (declaration)"
		}
		out = append(out, fmt.Sprintf("%s %s%s: %s", filepath.Base(u.Path), u.What, decl, strings.TrimSpace(text)))
	}
	return strings.Join(out, "\n")
}

func TestUses(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "priv/repo/migrations")
	files := map[string]string{
		"1_users.exs": mig("Users", `
  def change do
    create table(:users) do
      add :email, :string
      add :org_id, references(:orgs)
    end
    create index(:users, [:email])
  end`),
		"2_posts.exs": mig("Posts", `
  def change do
    create table(:posts) do
      add :author_id, references(:users)
    end
    alter table(:users) do
      add :nick, :string
      modify :email, :text, from: :string
    end
  end`),
		"3_sql.exs": mig("Sql", `
  def up do
    execute "UPDATE users SET nick = email"
    execute "COMMENT ON COLUMN users.email IS 'login'"
    rename table(:users), :nick, to: :handle
    rename table(:users), to: table(:accounts)
    execute "ALTER TABLE accounts ADD COLUMN x int"
  end`),
	}
	m := map[string]string{}
	for name, src := range files {
		m["priv/repo/migrations/"+name] = src
	}
	write(t, root, m)
	w := Load(root, []string{dir}, nil)
	r := w.RepoOf(filepath.Join(dir, "x.exs"))

	want := strings.TrimSpace(`
1_users.exs create table (declaration): create table(:users) do
1_users.exs create index: create index(:users, [:email])
2_posts.exs references: create table(:posts) do
2_posts.exs alter table: alter table(:users) do
3_sql.exs update: UPDATE users SET nick = email
3_sql.exs comment on column: COMMENT ON COLUMN users.email IS 'login'
3_sql.exs rename column: rename table(:users), :nick, to: :handle
3_sql.exs rename table: rename table(:users), to: table(:accounts)`)
	if got := useList(files, r.Uses("", "users", "")); got != want {
		t.Errorf("uses of users:\n%s\nwant:\n%s", got, want)
	}
	want = strings.TrimSpace(`
1_users.exs add column (declaration): add :email, :string
1_users.exs create index: create index(:users, [:email])
2_posts.exs alter column type: modify :email, :text, from: :string
3_sql.exs comment on column: COMMENT ON COLUMN users.email IS 'login'`)
	if got := useList(files, r.Uses("", "users", "email")); got != want {
		t.Errorf("uses of users.email:\n%s\nwant:\n%s", got, want)
	}
	if got := useList(files, r.Uses("public", "accounts", "")); !strings.Contains(got, "rename table") || !strings.Contains(got, "ADD COLUMN x") {
		t.Errorf("uses of accounts (the new name):\n%s", got)
	}
}

// A column's origin is its own sub-command, not the whole block.
func TestColumnOrigins(t *testing.T) {
	root := t.TempDir()
	src := mig("A", "  def change do\n    create table(:t) do\n      add :a, :integer\n      timestamps()\n    end\n  end")
	write(t, root, map[string]string{"priv/repo/migrations/1_a.exs": src})
	dir := filepath.Join(root, "priv/repo/migrations")
	r := Load(root, []string{dir}, nil).RepoOf(filepath.Join(dir, "x.exs"))
	tb := r.Final().Table("", "t")
	if o := tb.Column("a").Origin; src[o.Start:o.End] != "add :a, :integer" {
		t.Errorf("origin of a: %q", src[o.Start:o.End])
	}
	if o := tb.Column("inserted_at").Origin; src[o.Start:o.End] != "timestamps()" {
		t.Errorf("origin of inserted_at: %q", src[o.Start:o.End])
	}
	if o := tb.Origin; !strings.HasPrefix(src[o.Start:o.End], "create table(:t) do") {
		t.Errorf("origin of t: %q", src[o.Start:o.End])
	}
}

// SetModel/Set report whether the statements changed; a State taken
// before an edit keeps reading the history it was taken from; After sees
// the migration's own effects.
func TestEditsAndSnapshots(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "priv/repo/migrations")
	a, b := filepath.Join(dir, "1_a.exs"), filepath.Join(dir, "2_b.exs")
	srcA := mig("A", "  def change do\n    create table(:t) do\n      add :a, :integer\n    end\n  end")
	write(t, root, map[string]string{
		"priv/repo/migrations/1_a.exs": srcA,
		"priv/repo/migrations/2_b.exs": mig("B", "  def change do\n    alter table(:t) do\n      add :b, :text\n    end\n  end"),
	})
	r := Load(root, []string{dir}, nil).RepoOf(a)
	beforeB := r.Before(b)
	if got := columns(beforeB.Table("", "t")); got != "id bigint not null, a integer" {
		t.Fatalf("before b: %s", got)
	}
	if got := columns(r.After(b).Table("", "t")); got != "id bigint not null, a integer, b text" {
		t.Fatalf("after b: %s", got)
	}
	if r.Set(a, []byte("# moved down\n"+srcA)) {
		t.Error("a comment above the code changes no statement")
	}
	if o := r.Before(b).Table("", "t").Origin; !strings.HasPrefix(("# moved down\n" + srcA)[o.Start:], "create table") {
		t.Error("origins follow the moved text")
	}
	if !r.Set(a, []byte(strings.Replace(srcA, ":integer", ":bigint", 1))) {
		t.Error("a type change changes a statement")
	}
	if got := columns(beforeB.Table("", "t")); got != "id bigint not null, a integer" {
		t.Errorf("a State taken before the edit changed: %s", got)
	}
	if got := columns(r.Before(b).Table("", "t")); got != "id bigint not null, a bigint" {
		t.Errorf("a State taken after the edit: %s", got)
	}
	if !r.Remove(a) || r.Before(b).Table("", "t") != nil {
		t.Error("removing the migration that creates the table")
	}
	if !RunsBefore(filepath.Join(dir, "2_x.exs"), filepath.Join(dir, "10_x.exs")) {
		t.Error("versions compare numerically")
	}
}

// Table versions share the columns and constraints they do not change: a
// change by a later migration must never show in an earlier view.
func TestVersionsShareNothingTheyChange(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "priv/repo/migrations")
	write(t, root, map[string]string{
		"priv/repo/migrations/1_a.exs": mig("A", `
  def up do
    execute "CREATE TABLE t (a int, b int, CONSTRAINT b_nn CHECK (b IS NOT NULL) NOT VALID)"
  end`),
		"priv/repo/migrations/2_b.exs": mig("B", `
  def up do
    execute "ALTER TABLE t ALTER COLUMN a TYPE bigint, ALTER COLUMN a SET NOT NULL"
    execute "ALTER TABLE t VALIDATE CONSTRAINT b_nn"
  end`),
		"priv/repo/migrations/3_c.exs": mig("C", `
  def up do
    execute "ALTER TABLE t RENAME COLUMN b TO c"
    execute "ALTER TABLE t RENAME CONSTRAINT b_nn TO c_nn"
  end`),
	})
	w := Load(root, []string{dir}, nil)
	r := w.RepoOf(filepath.Join(dir, "x.exs"))
	seen := func(path string) string {
		st := r.Before(filepath.Join(dir, path))
		tb := st.Table("", "t")
		var cons []string
		for _, c := range tb.Constraints {
			cons = append(cons, fmt.Sprintf("%s(%s,%v)", c.Name, c.NotNullColumn, c.Validated))
		}
		return columns(tb) + " | " + strings.Join(cons, " ")
	}
	for _, tc := range []struct{ path, want string }{
		{"2_b.exs", "a integer, b integer | b_nn(b,false)"},
		{"3_c.exs", "a bigint not null, b integer | b_nn(b,true)"},
		{"4_d.exs", "a bigint not null, c integer | c_nn(c,true)"},
	} {
		if got := seen(tc.path); got != tc.want {
			t.Errorf("before %s: %s, want %s", tc.path, got, tc.want)
		}
	}
}
