package workspace

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func columns(t *Table) string {
	var out []string
	for _, c := range t.Columns {
		s := c.Name + " " + c.Type
		if c.NotNull {
			s += " not null"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// write creates files under root from a name -> content map.
func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mig(name, body string) string {
	return "defmodule App.Repo.Migrations." + name + " do\n  use Ecto.Migration\n" + body + "\nend\n"
}

func TestReplay(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "priv/repo/migrations")
	write(t, root, map[string]string{
		"priv/repo/migrations/20240101000000_create_users.exs": mig("CreateUsers", `
  def change do
    create table(:users) do
      add :email, :string, null: false
      add :nick, :string, size: 40
      add :org_id, references(:orgs)
      timestamps()
    end
    create unique_index(:users, [:email])
    create index(:users, [:nick])
  end`),
		"priv/repo/migrations/20240102000000_rename.exs": mig("Rename", `
  def change do
    rename table(:users), :nick, to: :handle
    alter table(:users) do
      remove :org_id, references(:orgs)
      modify :email, :text, from: :string
    end
  end`),
		"priv/repo/migrations/20240103000000_sql.exs": mig("Sql", `
  def up do
    execute "ALTER TABLE users ADD CONSTRAINT users_handle_nn CHECK (handle IS NOT NULL) NOT VALID"
    execute "ALTER TABLE users VALIDATE CONSTRAINT users_handle_nn"
    execute "CREATE TYPE mood AS ENUM ('sad', 'ok')"
    execute "ALTER TYPE mood ADD VALUE 'happy'"
    execute "ALTER TABLE users RENAME TO accounts"
    execute "ALTER TABLE #{@dyn} ADD COLUMN x int"
  end`),
	})
	w := Load(root, []string{dir}, nil)
	r := w.RepoOf(filepath.Join(dir, "x.exs"))
	if r == nil {
		t.Fatal("no repo for the directory")
	}
	final := r.Final()
	acc := final.Table("", "accounts")
	if acc == nil || final.Table("", "users") != nil {
		t.Fatalf("the table is renamed by raw SQL: %v", final.Tables())
	}
	if got := columns(acc); got != "id bigint not null, email text not null, handle varchar(40), inserted_at timestamp(0) not null, updated_at timestamp(0) not null" {
		t.Errorf("columns: %s", got)
	}
	var ixs []string
	for _, ix := range final.IndexesOf("", "accounts") {
		ixs = append(ixs, ix.Name+"("+strings.Join(ix.Columns, ",")+")")
	}
	sort.Strings(ixs)
	if got := strings.Join(ixs, " "); got != "users_email_index(email) users_nick_index(handle) users_pkey(id)" {
		t.Errorf("indexes follow renames: %s", got)
	}
	if e := final.Enum("", "mood"); e == nil || strings.Join(e.Values, ",") != "sad,ok,happy" {
		t.Errorf("enum: %+v", e)
	}
	if len(final.Unknown()) != 1 {
		t.Errorf("the interpolated ALTER is unknown: %+v", final.Unknown())
	}
	v := w.View(filepath.Join(dir, "20240104000000_next.exs"), "")
	if !v.HasValidatedNotNullCheck("", "accounts", "handle") {
		t.Error("validated NOT NULL check not seen")
	}
	if typ, ok := v.ColumnType("", "accounts", "email"); !ok || typ != "text" {
		t.Errorf("ColumnType = %q %v", typ, ok)
	}
	if _, ok := v.ColumnIndexes("", "accounts", "email"); ok {
		t.Error("after an unknown statement, indexes are not known for sure")
	}
	// Seen from the second migration: the state before it.
	v2 := w.View(filepath.Join(dir, "20240102000000_rename.exs"), "")
	if typ, _ := v2.ColumnType("", "users", "email"); typ != "varchar(255)" {
		t.Errorf("before the rename migration email is varchar(255), got %q", typ)
	}
	if ixs, ok := v2.ColumnIndexes("", "users", "org_id"); !ok || len(ixs) != 0 {
		t.Errorf("org_id has no index: %v %v", ixs, ok)
	}
	if fk, ok := v2.ForeignKeyTarget("", "users", "users_org_id_fkey"); !ok || fk != "orgs" {
		t.Errorf("fk target %q %v", fk, ok)
	}
	if path, _, _, ok := v2.TableCreatedIn("users"); !ok || !strings.HasSuffix(path, "20240101000000_create_users.exs") {
		t.Errorf("created in %q", path)
	}
	if !w.View(filepath.Join(dir, "20240102000000_rename.exs"), "20231231000000").TableIsNew("", "users") {
		t.Error("a table created after start_after is new")
	}
	if w.View(filepath.Join(dir, "20240102000000_rename.exs"), "20240101000000").TableIsNew("", "users") {
		t.Error("a released table is not new")
	}
}

// Editing an early migration changes what later ones see.
func TestIncrementalUpdate(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "priv/repo/migrations")
	first := filepath.Join(dir, "1_a.exs")
	write(t, root, map[string]string{
		"priv/repo/migrations/1_a.exs": mig("A", "  def change do\n    create table(:t) do\n      add :a, :integer\n    end\n  end"),
		"priv/repo/migrations/2_b.exs": mig("B", "  def change do\n    alter table(:t) do\n      add :b, :text\n    end\n  end"),
	})
	w := Load(root, []string{dir}, nil)
	r := w.RepoOf(first)
	if got := columns(r.Final().Table("", "t")); got != "id bigint not null, a integer, b text" {
		t.Fatalf("before: %s", got)
	}
	r.Set(first, []byte(mig("A", "  def change do\n    create table(:t) do\n      add :a, :bigint\n    end\n  end")))
	if got := columns(r.Final().Table("", "t")); got != "id bigint not null, a bigint, b text" {
		t.Fatalf("after the edit: %s", got)
	}
	r.Remove(first)
	if r.Final().Table("", "t") != nil {
		t.Fatal("without the create migration there is no table")
	}
}

func TestUmbrellaTwoRepos(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"apps/shop/priv/repo/migrations/1_a.exs":   mig("A", "  def change, do: create(table(:orders))"),
		"apps/shop/priv/events/migrations/1_e.exs": mig("E", "  def change, do: create(table(:events))"),
		"apps/shop/lib/shop/order.ex":              "defmodule Shop.Order do\n  use Ecto.Schema\n  schema \"orders\" do\n    field :total, :integer\n  end\nend\n",
	})
	dirs := []string{filepath.Join(root, "apps/shop/priv/repo/migrations"), filepath.Join(root, "apps/shop/priv/events/migrations")}
	w := Load(root, dirs, nil)
	if len(w.Repos()) != 2 {
		t.Fatalf("repos: %d", len(w.Repos()))
	}
	if w.RepoOf(filepath.Join(dirs[0], "x.exs")).Final().Table("", "events") != nil {
		t.Error("each repo has its own schema")
	}
	if len(w.EctoSchemas("orders")) != 1 {
		t.Error("umbrella apps' lib/ schemas are read")
	}
}

func TestEctoSchemas(t *testing.T) {
	src := `defmodule Shop.User do
  use Ecto.Schema
  @primary_key {:uuid, :binary_id, autogenerate: true}
  @schema_prefix "accounts"
  schema "users" do
    field :email, :string
    field :display, :string, source: :name
    field :password, :string, virtual: true
    belongs_to :org, Shop.Org
    belongs_to :owner, Shop.User, foreign_key: :owner_uuid, type: :binary_id
    has_many :posts, Shop.Post
    embeds_one :settings, Shop.Settings
    timestamps(inserted_at: :created_at, updated_at: false)
  end
end
defmodule Shop.Embedded do
  use Ecto.Schema
  embedded_schema do
    field :x, :string
  end
end
`
	ss := ReadEctoSchemas("lib/shop/user.ex", []byte(src))
	if len(ss) != 1 {
		t.Fatalf("%d schemas", len(ss))
	}
	s := ss[0]
	var cols []string
	for _, f := range s.Fields {
		cols = append(cols, f.Column)
	}
	if got := strings.Join(cols, ","); got != "uuid,email,name,org_id,owner_uuid,settings,created_at" || s.Prefix != "accounts" || s.Module != "Shop.User" {
		t.Fatalf("columns %s prefix %q module %q", got, s.Prefix, s.Module)
	}
	if f := s.Field("name"); f == nil || f.Name != "display" || !strings.HasPrefix(src[f.Start:], "field :display") {
		t.Errorf("source: option: %+v", f)
	}
}
