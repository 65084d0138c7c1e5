package analysis

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/grammar"
)

// FuzzBuild runs parse + model + lowering + the lock model on arbitrary
// input: it must never panic or hang (go test -fuzz FuzzBuild ./analysis).
func FuzzBuild(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/ecto/*.exs")
	more, _ := filepath.Glob("../examples/*/priv/repo/migrations/*.exs")
	for _, p := range append(seeds, more...) {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("defmodule M do\n use Ecto.Migration\n def change do\n for x <- 1..3, y <- [:a], do: create index(x, [y])\n end\nend\n"))
	f.Add([]byte("defmodule M do\n use Ecto.Migration\n def up, do: up()\n def down, do: f(f(f(1)))\n defp f(x), do: f(x)\nend\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		m := Build("fuzz.exs", grammar.Parse(src), BuildOptions{MaxSteps: 20000})
		_ = render(m)
		ComputeFacts(m, m.Up, locks.Context{}, nil)
		ComputeFacts(m, m.Down, locks.Context{PGVersion: 11}, nil)
	})
}
