package analysis

import (
	"strings"
	"testing"
)

func TestDelegateAndConditionalDefs(t *testing.T) {
	m := build(t, "defmodule M do\n  use Ecto.Migration\n  defdelegate up, to: Oban.Migrations\n  defdelegate down, to: Oban.Migrations\nend\n")
	for _, p := range m.Problems {
		if strings.Contains(p.Message, "does not implement") {
			t.Fatalf("delegated callbacks exist: %v", p)
		}
	}
	found := false
	for _, p := range m.Problems {
		if p.Kind == Unfollowed && strings.Contains(p.Message, "Oban.Migrations.up") {
			found = true
		}
	}
	if !found {
		t.Errorf("the delegation is reported as not followed: %+v", m.Problems)
	}
	m = build(t, "defmodule M do\n  use Ecto.Migration\n  if Code.ensure_loaded?(X) do\n    def change do\n      create index(:a, [:b])\n    end\n  end\nend\n")
	if len(m.Up.Ops) != 1 {
		t.Fatalf("defs inside a module-level if: %+v", m.Problems)
	}
	// A delegation with a default argument is callable with none: it
	// defines up/0.
	m = build(t, "defmodule M do\n  use Ecto.Migration\n  defdelegate up(opts \\\\ []), to: Oban.Migrations\n  def down, do: :ok\nend\n")
	for _, p := range m.Problems {
		if p.Kind == Rejected {
			t.Errorf("up(opts \\\\ []) is up/0 too: %v", p)
		}
	}
	// Its defaults are the values the migrator's call gets.
	m = build(t, "defmodule M do\n  use Ecto.Migration\n  def up(prefix \\\\ \"audit\"), do: create(table(:events, prefix: prefix))\n  def down, do: :ok\nend\n")
	if got := sqlOf(m.Up); len(got) != 1 || !strings.HasPrefix(got[0], `CREATE TABLE "audit"."events"`) {
		t.Errorf("up with a default: %q %+v", got, m.Problems)
	}
}
