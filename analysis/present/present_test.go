package present

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/analysis/workspace"
	"github.com/lockwise/lockwise/grammar"
)

const src = `defmodule App.Repo.Migrations.X do
  use Ecto.Migration
  @disable_migration_lock true

  def change do
    create index(:users, [:email])
    alter table(:users) do
      add :age, :integer, null: false
    end
  end
end
`

func result(t *testing.T, path, text string) *check.Result {
	t.Helper()
	return check.Run(path, grammar.Parse([]byte(text)), check.DefaultSettings(), nil)
}

func hoverAt(hs []Hover, off int) *Hover {
	var best *Hover
	for i := range hs {
		h := &hs[i]
		if h.Start <= off && off < h.End && (best == nil || h.End-h.Start < best.End-best.Start) {
			best = h
		}
	}
	return best
}

func TestOperationHovers(t *testing.T) {
	r := result(t, "priv/repo/migrations/1_x.exs", src)
	hs := Hovers(r, nil)
	h := hoverAt(hs, strings.Index(src, "create index"))
	if h == nil {
		t.Fatal("no hover on create index")
	}
	for _, want := range []string{"create index users_email_index on users", "RISKY", "SHARE", "CREATE INDEX \"users_email_index\" ON \"users\" (\"email\")", "| `users` | SHARE | writes |"} {
		if !strings.Contains(h.Markdown, want) {
			t.Errorf("markdown hover lacks %q:\n%s", want, h.Markdown)
		}
	}
	if strings.Contains(h.Text, "|") || strings.Contains(h.Text, "**") {
		t.Errorf("plain text hover has markdown:\n%s", h.Text)
	}
	sub := hoverAt(hs, strings.Index(src, "add :age"))
	if sub == nil || !strings.Contains(sub.Markdown, "add users.age") || !strings.Contains(sub.Markdown, "one ALTER TABLE statement") {
		t.Errorf("sub-command hover: %+v", sub)
	}
	attr := hoverAt(hs, strings.Index(src, "@disable_migration_lock"))
	if attr == nil || !strings.Contains(attr.Text, "no migration lock") {
		t.Errorf("attribute hover: %+v", attr)
	}
}

func TestOutlineAndHints(t *testing.T) {
	r := result(t, "priv/repo/migrations/1_x.exs", src)
	o := Outline(r)
	if len(o) != 1 || o[0].Name != "App.Repo.Migrations.X" || len(o[0].Children) != 1 {
		t.Fatalf("outline: %+v", o)
	}
	ops := o[0].Children[0].Children
	if len(ops) != 2 || ops[0].Name != "create index users_email_index on users" || ops[0].Detail != "risky · SHARE on users" ||
		len(ops[1].Children) != 1 || ops[1].Children[0].Name != "age" {
		t.Fatalf("operations: %+v", ops)
	}
	hs := Hints(r)
	if len(hs) != 2 || hs[0].Label != "risky · SHARE on users · blocks writes · scans" {
		t.Fatalf("hints: %+v", hs)
	}
	if !strings.Contains(hs[1].Label, "fails (23502)") {
		t.Errorf("NOT NULL without default hint: %q", hs[1].Label)
	}
}

func TestNameHovers(t *testing.T) {
	root, _ := filepath.Abs("../../examples/shop")
	dir := filepath.Join(root, "priv/repo/migrations")
	ws := workspace.Load(root, []string{dir}, nil)
	path := filepath.Join(dir, "20240402094000_drop_legacy_flag.exs")
	text := "defmodule Shop.Repo.Migrations.DropLegacyFlag do\n  use Ecto.Migration\n  def change do\n    alter table(:users) do\n      remove :legacy_flag, :boolean, default: false\n    end\n  end\nend\n"
	r := result(t, path, text)
	w := wsAdapter{ws}
	hs := Hovers(r, w)
	tbl := hoverAt(hs, strings.Index(text, ":users"))
	if tbl == nil || !strings.Contains(tbl.Text, "table users") || !strings.Contains(tbl.Text, "created in 20240105090000_create_users.exs") || !strings.Contains(tbl.Text, "Shop.Accounts.User") {
		t.Fatalf("table hover: %+v", tbl)
	}
	col := hoverAt(hs, strings.Index(text, ":legacy_flag"))
	if col == nil || !strings.Contains(col.Text, "column users.legacy_flag boolean DEFAULT false") || !strings.Contains(col.Text, "Field :legacy_flag of Shop.Accounts.User") {
		t.Fatalf("column hover: %+v", col)
	}
}

type wsAdapter struct{ w *workspace.Workspace }

func (a wsAdapter) View(path string) *workspace.View { return a.w.View(path, "") }
func (a wsAdapter) EctoSchemas(table string) []*workspace.EctoSchema {
	return a.w.EctoSchemas(table)
}

// HoversAt renders, at every offset, exactly the hovers of Hovers that hold
// it (ends included).
func TestHoversAtIsHoversFiltered(t *testing.T) {
	root, _ := filepath.Abs("../../examples/shop")
	dir := filepath.Join(root, "priv/repo/migrations")
	w := wsAdapter{workspace.Load(root, []string{dir}, nil)}
	path := filepath.Join(dir, "20240402094000_drop_legacy_flag.exs")
	text := "defmodule Shop.Repo.Migrations.DropLegacyFlag do\n  use Ecto.Migration\n  @disable_migration_lock true\n  def change do\n" +
		"    alter table(:users) do\n      remove :legacy_flag, :boolean, default: false\n      add :age, :integer\n    end\n    create index(:users, [:age])\n  end\nend\n"
	r := result(t, path, text)
	all := Hovers(r, w)
	if len(all) < 6 {
		t.Fatalf("only %d hovers", len(all))
	}
	for off := 0; off <= len(text); off++ {
		var want []Hover
		for _, h := range all {
			if h.Start <= off && off <= h.End {
				want = append(want, h)
			}
		}
		got := HoversAt(r, w, off)
		if len(got) != len(want) {
			t.Fatalf("offset %d: %d hovers, want %d", off, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("offset %d: hover %d differs:\n%+v\n%+v", off, i, got[i], want[i])
			}
		}
	}
}
