package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/lockwise/lockwise/grammar"
)

// fixtureSources returns the migrations of testdata/ecto and examples/.
func fixtureSources(tb testing.TB) [][]byte {
	seeds, _ := filepath.Glob("testdata/ecto/*.exs")
	more, _ := filepath.Glob("../examples/*/priv/repo/migrations/*.exs")
	var out [][]byte
	for _, p := range append(seeds, more...) {
		src, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, src)
	}
	return out
}

// bigMigration builds a migration of about n lines out of realistic calls.
func bigMigration(n int) []byte {
	var b strings.Builder
	b.WriteString("defmodule Big.Repo.Migrations.Big do\n  use Ecto.Migration\n\n  def change do\n")
	lines := 5
	for i := 0; lines < n-3; i++ {
		fmt.Fprintf(&b, "    create table(:t%d) do\n      add :name, :string, null: false\n      add :org_id, references(:orgs, on_delete: :delete_all)\n      add :price, :decimal, precision: 10, scale: 2\n      timestamps()\n    end\n\n", i)
		fmt.Fprintf(&b, "    create index(:t%d, [:name], where: \"name IS NOT NULL\")\n", i)
		fmt.Fprintf(&b, "    alter table(:t%d) do\n      modify :name, :text, from: :string\n    end\n", i)
		fmt.Fprintf(&b, "    execute \"\"\"\n    UPDATE t%d SET name = lower(name)\n    \"\"\", \"\"\n\n", i)
		lines += 19
	}
	b.WriteString("  end\nend\n")
	return []byte(b.String())
}

// BenchmarkBuild300Lines: parse + model + lowering of one 300-line migration.
func BenchmarkBuild300Lines(b *testing.B) {
	src := bigMigration(300)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m := Build("big.exs", grammar.Parse(src), BuildOptions{})
		if len(m.Up.Ops) == 0 {
			b.Fatal("no ops")
		}
	}
}

// BenchmarkBuildDir2000: a directory of 2,000 migrations (the fixtures and
// examples repeated), processed by one worker per CPU as the CLI does.
func BenchmarkBuildDir2000(b *testing.B) {
	files := dirFiles(b, 2000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buildDir(files, func(*Migration) {})
	}
}

// dirFiles is a directory of n migrations: the fixtures repeated.
func dirFiles(b *testing.B, n int) [][]byte {
	srcs := fixtureSources(b)
	files := make([][]byte, n)
	for i := range files {
		files[i] = srcs[i%len(srcs)]
	}
	return files
}

// buildDir builds files on one worker per CPU, as the CLI does, and hands
// each model to each on its worker.
func buildDir(files [][]byte, each func(*Migration)) {
	var wg sync.WaitGroup
	next := make(chan []byte)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for src := range next {
				each(Build("x.exs", grammar.Parse(src), BuildOptions{}))
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
}
