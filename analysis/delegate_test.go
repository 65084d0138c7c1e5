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
}
