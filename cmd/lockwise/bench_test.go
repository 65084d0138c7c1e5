package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"
)

var moduleName = regexp.MustCompile(`defmodule ([A-Za-z0-9_.]+)`)

// benchProject writes a mix project with n migrations made from the
// examples and the analysis fixtures, renamed so that every file has its
// own version, name and module.
func benchProject(b *testing.B, n int) string {
	b.Helper()
	var seeds [][]byte
	for _, glob := range []string{"../../examples/*/priv/repo/migrations/*.exs", "../../analysis/testdata/ecto/*.exs"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			seeds = append(seeds, src)
		}
	}
	if len(seeds) == 0 {
		b.Fatal("no fixtures")
	}
	root := b.TempDir()
	dir := filepath.Join(root, "priv", "repo", "migrations")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "mix.exs"), []byte("defmodule Bench.MixProject do\n  use Mix.Project\nend\n"), 0o644)
	for i := 0; i < n; i++ {
		src := moduleName.ReplaceAll(seeds[i%len(seeds)], []byte(fmt.Sprintf("defmodule Bench.Repo.Migrations.M%d", i)))
		name := fmt.Sprintf("%014d_migration_%d.exs", 20200101000000+i, i)
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return root
}

// BenchmarkCheck4000 runs `lockwise check --format json` over a project of
// 4,000 migrations, one worker per CPU as the command does. heap-sys-MB is
// the heap the process obtained from the OS (a bound on the Go heap's
// peak); the C parsers' memory is not in it: measure the binary with
// /usr/bin/time -v for the resident peak.
func BenchmarkCheck4000(b *testing.B) {
	root := benchProject(b, 4000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code := run([]string{"check", "--format", "json", "--fail-on", "none", root}, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	b.StopTimer()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MB")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/4000, "ns/file")
}
