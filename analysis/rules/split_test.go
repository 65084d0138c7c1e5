package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/analysistest"
	"github.com/lockwise/lockwise/analysis/check"
	ws "github.com/lockwise/lockwise/analysis/workspace"
	"github.com/lockwise/lockwise/grammar"
)

// splitOf runs a rule on src and returns the fix with the given title.
func splitOf(t *testing.T, a *analysis.Analyzer, path, src, title string, schema analysis.Schema) analysis.Fix {
	t.Helper()
	s := check.DefaultSettings()
	s.Schema = schema
	res := check.Run(path, grammar.Parse([]byte(src)), s, []*analysis.Analyzer{a})
	for _, d := range res.Diagnostics {
		for _, f := range d.Fixes {
			if f.Title == title {
				return f
			}
		}
	}
	t.Fatalf("no fix %q among %+v", title, res.Diagnostics)
	return analysis.Fix{}
}

// sqlOfPlan lowers a migration's source and lists the SQL of a direction.
func sqlOfPlan(t *testing.T, name, src string, down bool) (*analysis.Migration, []string) {
	t.Helper()
	f := grammar.Parse([]byte(src))
	if len(f.Errors) > 0 {
		t.Fatalf("%s does not parse:\n%s", name, src)
	}
	m := analysis.Build(name, f, analysis.BuildOptions{})
	if m.Module == "" {
		t.Fatalf("%s is not a migration", name)
	}
	plan := m.Up
	if down {
		plan = m.Down
	}
	var out []string
	for _, op := range plan.Ops {
		for _, q := range op.Queries {
			out = append(out, q.SQL)
		}
	}
	return m, out
}

func apply(t *testing.T, src string, f analysis.Fix) string {
	t.Helper()
	out, err := analysistest.ApplyEdits([]byte(src), f.Edits)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func wantSQL(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s SQL:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

const splitPath = "priv/repo/migrations/20240101000000_x.exs"

func TestSplitIndexIntoOwnMigration(t *testing.T) {
	src := "defmodule App.Repo.Migrations.X do\n  use Ecto.Migration\n\n  def change do\n    alter table(:users) do\n      add :nick, :string\n    end\n\n    create index(:users, [:email])\n  end\nend\n"
	fix := splitOf(t, IndexNotConcurrently, splitPath, src, "Move the index into its own concurrent migration", nil)
	_, here := sqlOfPlan(t, "x.exs", apply(t, src, fix), false)
	wantSQL(t, "remaining", here, `ALTER TABLE "users" ADD COLUMN "nick" varchar(255)`)
	if len(fix.NewFiles) != 1 || fix.NewFiles[0].Name != "20240101000001_users_email_index_concurrently.exs" {
		t.Fatalf("new files: %+v", fix.NewFiles)
	}
	m, sql := sqlOfPlan(t, fix.NewFiles[0].Name, fix.NewFiles[0].Content, false)
	wantSQL(t, "new migration", sql, `CREATE INDEX CONCURRENTLY "users_email_index" ON "users" ("email")`)
	if m.Transaction || m.MigrationLock || m.Module != "App.Repo.Migrations.UsersEmailIndexConcurrently" {
		t.Errorf("the new migration runs outside a transaction without the migration lock: %+v", m)
	}
	_, down := sqlOfPlan(t, fix.NewFiles[0].Name, fix.NewFiles[0].Content, true)
	wantSQL(t, "its rollback", down, `DROP INDEX CONCURRENTLY "users_email_index"`)
}

func TestSplitNotNullColumn(t *testing.T) {
	src := "defmodule App.Repo.Migrations.X do\n  use Ecto.Migration\n\n  def change do\n    alter table(:users) do\n      add :age, :integer, null: false\n    end\n  end\nend\n"
	fix := splitOf(t, NotNullWithoutDefault, splitPath, src, "Split into nullable column + NOT VALID check, batched backfill, SET NOT NULL", nil)
	_, here := sqlOfPlan(t, "x.exs", apply(t, src, fix), false)
	wantSQL(t, "expand", here, `ALTER TABLE "users" ADD COLUMN "age" integer`,
		`ALTER TABLE "users" ADD CONSTRAINT "users_age_not_null" CHECK (age IS NOT NULL) NOT VALID`)
	if len(fix.NewFiles) != 2 {
		t.Fatalf("want a backfill and a contract migration: %+v", fix.NewFiles)
	}
	bf, _ := sqlOfPlan(t, fix.NewFiles[0].Name, fix.NewFiles[0].Content, false)
	if bf.Transaction || bf.MigrationLock || fix.NewFiles[0].Name != "20240101000001_backfill_users_age.exs" {
		t.Errorf("the backfill runs outside a transaction: %+v", bf)
	}
	var updates int
	for _, op := range bf.Up.Ops {
		if op.Kind == analysis.OpRepo && op.Exec.RepoCall == "update_all" && op.Repeated {
			updates++
		}
	}
	if updates != 1 {
		t.Errorf("the backfill updates in a loop of batches: %+v", bf.Up.Ops)
	}
	_, contract := sqlOfPlan(t, fix.NewFiles[1].Name, fix.NewFiles[1].Content, false)
	wantSQL(t, "contract", contract, "ALTER TABLE users VALIDATE CONSTRAINT users_age_not_null",
		"ALTER TABLE users ALTER COLUMN age SET NOT NULL", "ALTER TABLE users DROP CONSTRAINT users_age_not_null")
	if fix.NewFiles[1].Name != "20240101000002_set_users_age_not_null.exs" {
		t.Errorf("contract name %s", fix.NewFiles[1].Name)
	}
}

func TestSplitTypeChange(t *testing.T) {
	src := "defmodule App.Repo.Migrations.X do\n  use Ecto.Migration\n\n  def change do\n    alter table(:users) do\n      modify :age, :bigint, from: :integer\n    end\n  end\nend\n"
	fix := splitOf(t, ColumnTypeChanged, splitPath, src, "Split into new column, batched backfill, drop of the old column", nil)
	_, here := sqlOfPlan(t, "x.exs", apply(t, src, fix), false)
	wantSQL(t, "expand", here, `ALTER TABLE "users" ADD COLUMN "age_new" bigint`)
	_, contract := sqlOfPlan(t, fix.NewFiles[1].Name, fix.NewFiles[1].Content, false)
	wantSQL(t, "contract", contract, `ALTER TABLE "users" DROP COLUMN "age"`)
	_, undo := sqlOfPlan(t, fix.NewFiles[1].Name, fix.NewFiles[1].Content, true)
	wantSQL(t, "contract rollback", undo, `ALTER TABLE "users" ADD COLUMN "age" integer`)
	if !strings.Contains(fix.NewFiles[0].Content, `fragment("?::bigint", r.age)`) {
		t.Errorf("the backfill casts the old values:\n%s", fix.NewFiles[0].Content)
	}
}

func TestSplitUpDown(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "priv/repo/migrations")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "20230101000000_create.exs"), []byte("defmodule App.Repo.Migrations.Create do\n  use Ecto.Migration\n  def change do\n    create table(:users) do\n      add :email, :string\n      add :legacy, :boolean\n    end\n  end\nend\n"), 0o644)
	w := ws.Load(root, []string{dir}, nil)
	path := filepath.Join(dir, "20240101000000_x.exs")
	src := `defmodule App.Repo.Migrations.X do
  use Ecto.Migration

  def change do
    create index(:users, [:email])
    execute "CREATE EXTENSION IF NOT EXISTS citext"
    alter table(:users) do
      modify :email, :text
      remove :legacy
    end
    execute "UPDATE users SET email = lower(email)"
  end
end
`
	fix := splitOf(t, IrreversibleChange, path, src, "Write up/0 and down/0 with the inverse commands", w.View(path, ""))
	out := apply(t, src, fix)
	m, up := sqlOfPlan(t, "x.exs", out, false)
	if m.Callbacks["up"] == nil || m.Callbacks["down"] == nil || m.Callbacks["change"] != nil {
		t.Fatalf("callbacks:\n%s", out)
	}
	wantSQL(t, "up", up, `CREATE INDEX "users_email_index" ON "users" ("email")`, "CREATE EXTENSION IF NOT EXISTS citext",
		`ALTER TABLE "users" ALTER COLUMN "email" TYPE text, DROP COLUMN "legacy"`, "UPDATE users SET email = lower(email)")
	// down: the data change cannot be undone: the rollback raises there,
	// the rest is derived.
	if !strings.Contains(out, `raise "lockwise: cannot derive the inverse of execute (line 11); write it here"`) {
		t.Fatalf("the underivable command raises:\n%s", out)
	}
	out = strings.Replace(out, `raise "lockwise: cannot derive the inverse of execute (line 11); write it here"`, "", 1)
	_, down := sqlOfPlan(t, "x.exs", out, true)
	wantSQL(t, "down", down, `ALTER TABLE "users" ADD COLUMN "legacy" boolean, ALTER COLUMN "email" TYPE varchar(255)`,
		"DROP EXTENSION IF EXISTS citext", `DROP INDEX "users_email_index"`)
}
