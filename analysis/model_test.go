package analysis

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/grammar"
)

func build(t *testing.T, src string) *Migration {
	t.Helper()
	return Build("priv/repo/migrations/20240101000000_x.exs", grammar.Parse([]byte(src)), BuildOptions{})
}

func sqlOf(p Plan) []string {
	var out []string
	for _, op := range p.Ops {
		for _, q := range op.Queries {
			out = append(out, q.Display())
		}
	}
	return out
}

func TestFlagsAndCallbacks(t *testing.T) {
	m := build(t, `defmodule A.Repo.Migrations.X do
  use Ecto.Migration
  @disable_ddl_transaction true
  @disable_migration_lock true
  def up, do: create(index(:a, [:b], concurrently: true))
  def down, do: drop(index(:a, [:b], concurrently: true))
end`)
	if m.Module != "A.Repo.Migrations.X" || m.Version != "20240101000000" {
		t.Fatalf("module %q version %q", m.Module, m.Version)
	}
	if m.Transaction || m.MigrationLock {
		t.Fatal("both attributes disable their feature")
	}
	if m.Callbacks["up"] == nil || m.Callbacks["down"] == nil || m.Callbacks["change"] != nil {
		t.Fatalf("callbacks: %v", m.Callbacks)
	}
	if got := sqlOf(m.Down); len(got) != 1 || got[0] != `DROP INDEX CONCURRENTLY "a_b_index"` {
		t.Fatalf("down: %v", got)
	}
}

func TestIrreversibleReasons(t *testing.T) {
	cases := map[string]string{
		`execute "UPDATE a SET b = 1"`:                          `cannot reverse migration command: execute "UPDATE a SET b = 1"`,
		"alter table(:a) do\n modify :b, :text\n end":           "cannot reverse migration command: alter table a",
		"alter table(:a) do\n remove :b\n end":                  "cannot reverse migration command: alter table a",
		"alter table(:a) do\n add_if_not_exists :b, :int\n end": "cannot reverse migration command: alter table a",
		"drop table(:a)":                                 "cannot reverse migration command: drop table a",
		"drop_if_exists constraint(:a, :c)":              "cannot reverse migration command: drop constraint if exists c from table a",
		"execute(fn -> repo().query!(\"SELECT 1\") end)": "execute(fn)",
		"flush()": "calling flush() inside change when doing rollback is not supported.",
	}
	for body, want := range cases {
		m := build(t, "defmodule M do\n use Ecto.Migration\n def change do\n "+body+"\n end\nend\n")
		if m.Down.Irreversible == nil || !strings.Contains(m.Down.Irreversible.Reason, want) {
			t.Errorf("%s: down irreversible = %+v, want %q", body, m.Down.Irreversible, want)
		}
		if m.Up.Irreversible != nil {
			t.Errorf("%s: up must run", body)
		}
	}
	m := build(t, "defmodule M do\n use Ecto.Migration\n def up, do: execute \"SELECT 1\"\nend\n")
	if m.Down.Irreversible == nil || !strings.Contains(m.Down.Irreversible.Reason, "does not implement a `down/0` or `change/0` function") {
		t.Errorf("up without down: %+v", m.Down.Irreversible)
	}
}

func TestDirectionAndConditions(t *testing.T) {
	m := build(t, `defmodule M do
  use Ecto.Migration
  def change do
    if direction() == :up do
      execute "SELECT 'up'"
    else
      execute "SELECT 'down'"
    end
    if System.get_env("X") do
      create index(:a, [:b])
    end
  end
end`)
	if got := sqlOf(m.Up); len(got) != 2 || got[0] != "SELECT 'up'" {
		t.Fatalf("up: %v", got)
	}
	if !m.Up.Ops[1].Conditional || !strings.Contains(strings.Join(m.Up.Ops[1].Reasons, ";"), "whose condition is not known") {
		t.Errorf("an op under an unknown condition is conditional: %+v", m.Up.Ops[1])
	}
	// change/0 backwards: the second execute/1 has no reverse.
	if m.Down.Irreversible == nil {
		t.Errorf("down must be irreversible")
	}
}

func TestHelpersLoopsAndVia(t *testing.T) {
	m := build(t, `defmodule M do
  use Ecto.Migration
  @tables ~w(a b)a
  def change do
    Enum.each(@tables, &index_it/1)
    for t <- [:c], do: index_it(t)
  end
  defp index_it(t), do: create(index(t, [:org_id]))
end`)
	got := sqlOf(m.Up)
	want := []string{`CREATE INDEX "a_org_id_index" ON "a" ("org_id")`, `CREATE INDEX "b_org_id_index" ON "b" ("org_id")`, `CREATE INDEX "c_org_id_index" ON "c" ("org_id")`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %v", got)
	}
	for _, op := range m.Up.Ops {
		if !op.Repeated || op.Dynamic || len(op.Via) == 0 {
			t.Errorf("op %+v: repeated, static, reached via a helper", op)
		}
	}
}

func TestSeveralModulesAndQuotedName(t *testing.T) {
	m := build(t, `defmodule Helpers do
  def cols, do: Ecto.Migration.add(:x, :integer)
end
defmodule :"Elixir.App.Repo.Migrations.Add-x" do
  use Ecto.Migration
  def change do
    alter table(:t) do
      Helpers.cols()
    end
  end
end`)
	if m.Module != "App.Repo.Migrations.Add-x" {
		t.Fatalf("module %q", m.Module)
	}
	if got := sqlOf(m.Up); len(got) != 1 || got[0] != `ALTER TABLE "t" ADD COLUMN "x" integer` {
		t.Fatalf("got %v", got)
	}
}

// A file being typed: everything outside the broken region is still seen.
func TestSyntaxErrorRecovery(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"unclosed call", `defmodule M do
  use Ecto.Migration
  def change do
    create index(:users, [:email])
    create index(:posts, [:title]
    create table(:tags) do
      add :name, :string
    end
  end
end`, []string{`CREATE INDEX "users_email_index" ON "users" ("email")`, `CREATE TABLE "tags" ("id" bigserial, "name" varchar(255), PRIMARY KEY ("id"))`}},
		{"unterminated string", `defmodule M do
  use Ecto.Migration
  def change do
    create index(:users, [:email])
    execute "UPDATE x
  end
end`, []string{`CREATE INDEX "users_email_index" ON "users" ("email")`}},
		{"dangling keyword", `defmodule M do
  use Ecto.Migration
  def change do
    alter table(:users) do
      add :name, :string, null:
    end
    create index(:users, [:name])
  end
end`, []string{`CREATE INDEX "users_name_index" ON "users" ("name")`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := build(t, c.src)
			if len(m.File.Errors) == 0 {
				t.Fatal("the file has a syntax error")
			}
			got := strings.Join(sqlOf(m.Up), "\n")
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %s\nin:\n%s", w, got)
				}
			}
		})
	}
}

func TestProblemsForWhatEctoRejects(t *testing.T) {
	m := build(t, `defmodule M do
  use Ecto.Migration
  def change do
    add :x, :integer
    create table(:t) do
      add :d, :datetime
      add :p, :decimal, scale: 2
    end
    create index(:t, [:a], nulls_distinct: false, bogus: 1)
    MyApp.Release.migrate_data()
  end
end`)
	var msgs []string
	for _, p := range m.Problems {
		msgs = append(msgs, p.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"cannot execute command outside of block", ":datetime type", "missing precision", "nulls_distinct", "bogus", "MyApp.Release.migrate_data"} {
		if !strings.Contains(all, want) {
			t.Errorf("no problem mentions %q:\n%s", want, all)
		}
	}
}

// rename/2 and drop/2 take table(...), index(...) or constraint(...): an
// atom (a column, in an alter block) matches no clause.
func TestPlainTermsGivenToRenameAndDrop(t *testing.T) {
	m := build(t, `defmodule M do
  use Ecto.Migration
  def up do
    alter table(:actors) do
      rename(:keys, to: :private_key)
      drop(:team_id)
    end
    drop_if_exists "posts"
  end
  def down, do: :ok
end`)
	var msgs []string
	for _, p := range m.Problems {
		msgs = append(msgs, p.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		"no function clause matching in Ecto.Migration.rename/2 (:keys is not",
		"no function clause matching in Ecto.Migration.drop/2 (:team_id is not",
		"no function clause matching in Ecto.Migration.drop_if_exists/2 (\"posts\" is not",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no problem mentions %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "nested") {
		t.Errorf("the clause error comes first:\n%s", all)
	}
}

// A module with up(opts) but no up/0 is a helper the real migrations call
// (Oban's versioned migrations), not a migration Ecto would reject.
func TestHelperModuleIsNotRejected(t *testing.T) {
	m := build(t, `defmodule MyQueue.Migrations.V2 do
  use Ecto.Migration
  def up(%{prefix: prefix}) do
    alter table(:jobs, prefix: prefix) do
      add :meta, :map
    end
  end
  def down(%{prefix: prefix}), do: :ok
end`)
	for _, p := range m.Problems {
		if p.Kind == Rejected {
			t.Errorf("rejected: %s", p.Message)
		}
	}
	if len(m.Problems) != 1 || m.Problems[0].Kind != Note || !strings.Contains(m.Problems[0].Message, "helper") {
		t.Errorf("problems: %+v", m.Problems)
	}
	if m.Up.Irreversible != nil || m.Down.Irreversible != nil || len(m.Up.Ops) != 0 {
		t.Errorf("up %+v down %+v", m.Up, m.Down)
	}
	// Without any up, it is still rejected.
	m = build(t, "defmodule M do\n  use Ecto.Migration\n  def down, do: :ok\nend\n")
	if len(m.Problems) == 0 || m.Problems[0].Kind != Rejected || !strings.Contains(m.Problems[0].Message, "does not implement a `up/0`") {
		t.Errorf("problems: %+v", m.Problems)
	}
}

func parseString(s string) *grammar.File { return grammar.Parse([]byte(s)) }

// Placeholders are shown back as the Elixir they stand for, whatever their
// number and whatever follows them: the 1st is not the start of the 14th,
// and a digit after an interpolation stays a digit.
func TestPlaceholdersDisplayExactly(t *testing.T) {
	var sql, want strings.Builder
	for i := 1; i <= 15; i++ {
		if i > 1 {
			sql.WriteString(", ")
			want.WriteString(", ")
		}
		fmt.Fprintf(&sql, "c#{@a%d}%d", i, i%3)
		fmt.Fprintf(&want, "c#{@a%d}%d", i, i%3)
	}
	src := "defmodule A.Repo.Migrations.X do\n  use Ecto.Migration\n  def up do\n    execute \"SELECT " + sql.String() + " FROM t\"\n  end\n  def down, do: :ok\nend\n"
	for range 20 { // map order differs from run to run
		m := build(t, src)
		got := sqlOf(m.Up)
		if len(got) != 1 || got[0] != "SELECT "+want.String()+" FROM t" {
			t.Fatalf("got %q", got)
		}
		if q := m.Up.Ops[0].Queries[0]; len(q.Holes) != 15 || q.Holes[0].Source != "@a1" || q.Holes[14].Source != "@a15" {
			t.Fatalf("holes: %+v", q.Holes)
		}
	}
}
