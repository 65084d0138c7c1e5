package lsp

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
)

// Benchmarks run the whole server over the pipe with the real engine:
//
//	go test ./lsp -run '^$' -bench . -benchtime 300x

// reportLatencies reports the median and 99th percentile in milliseconds.
func reportLatencies(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	ms := func(q float64) float64 {
		return float64(d[min(len(d)-1, int(q*float64(len(d))))].Microseconds()) / 1000
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op") // the wall time per op is the latency above
}

// BenchmarkDidChangeToDiagnostics measures a keystroke in a 300-line
// migration until its diagnostics arrive at the client. With debounce 0 it
// is the pipeline's own latency; the default debounce adds its 30ms.
func BenchmarkDidChangeToDiagnostics(b *testing.B) {
	for _, debounce := range []time.Duration{-1, 30 * time.Millisecond} {
		b.Run(fmt.Sprintf("debounce=%v", max(debounce, 0)), func(b *testing.B) {
			ts := startServer(b, serverConfig{engine: NewAnalysisEngine(), debounce: debounce})
			text := sizedMigration(300)
			uri := ts.open(migrationPath, text)
			ts.client.await(b, uri, 1)
			at := pos(b, text, "create index(:t0", len("create index(:t0"))
			var lat []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				v := int32(i + 2)
				ch := "9"
				r := protocol.Range{Start: at, End: at}
				if i%2 == 1 { // delete what the previous iteration typed
					r.End.Character++
					ch = ""
				}
				start := time.Now()
				ts.change(uri, v, contentChange{Range: &r, Text: ch})
				ts.client.await(b, uri, v)
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			reportLatencies(b, lat)
		})
	}
}

// BenchmarkHover measures hover requests on an analysed 300-line
// migration: an operation, and a table name (the workspace's knowledge).
func BenchmarkHover(b *testing.B) {
	ts := startServer(b, serverConfig{engine: NewAnalysisEngine()})
	text := sizedMigration(300)
	uri := ts.open(migrationPath, text)
	ts.client.await(b, uri, 1)
	for _, at := range []struct {
		name string
		pos  protocol.Position
	}{{"operation", pos(b, text, "create index(:t0", 3)}, {"table name", pos(b, text, "create index(:t0", len("create index(:"))}} {
		b.Run(at.name, func(b *testing.B) {
			var lat []time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if ts.hover(uri, at.pos) == nil {
					b.Fatal("no hover")
				}
				lat = append(lat, time.Since(start))
			}
			reportLatencies(b, lat)
		})
	}
	// The first hover after a change computes the hovers of the new
	// version (Analysis.Details).
	b.Run("first after a change", func(b *testing.B) {
		at := pos(b, text, "create index(:t0", len("create index(:t0"))
		var lat []time.Duration
		for i := 0; i < b.N; i++ {
			v := int32(i + 2)
			r := protocol.Range{Start: at, End: at}
			ch := "9"
			if i%2 == 1 {
				r.End.Character++
				ch = ""
			}
			ts.change(uri, v, contentChange{Range: &r, Text: ch})
			ts.client.await(b, uri, v)
			start := time.Now()
			if ts.hover(uri, pos(b, text, "create index(:t0", 3)) == nil {
				b.Fatal("no hover")
			}
			lat = append(lat, time.Since(start))
		}
		reportLatencies(b, lat)
	})
}

// BenchmarkOpen50 measures the memory held by 50 open, analysed 300-line
// migrations (text, tree, snapshot, goroutine). heap-MB is the Go heap
// (the test client's records included); rss-MB adds tree-sitter's C
// allocations, which the Go heap does not see.
func BenchmarkOpen50(b *testing.B) {
	text := sizedMigration(300)
	for i := 0; i < b.N; i++ {
		ts := startServer(b, serverConfig{engine: NewAnalysisEngine()})
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		rssBefore := rss()
		for n := 0; n < 50; n++ {
			p := strings.Replace(migrationPath, "20240101000000", fmt.Sprintf("202401010000%02d", n), 1)
			uri := ts.open(p, text)
			ts.client.await(b, uri, 1)
		}
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		held := float64(after.HeapAlloc) - float64(before.HeapAlloc)
		b.ReportMetric(held/(1<<20), "heap-MB")
		b.ReportMetric(held/50/1024, "KB/doc")
		b.ReportMetric(float64(rss()-rssBefore)/(1<<20), "rss-MB")
		b.ReportMetric(float64(len(text))/1024, "text-KB/doc")
	}
}

// rss is the resident set size in bytes (Linux; 0 elsewhere).
func rss() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var size, resident int64
	if _, err := fmt.Sscan(string(data), &size, &resident); err != nil {
		return 0
	}
	return resident * int64(os.Getpagesize())
}

// BenchmarkEditEarlyMigration measures the re-analysis of an open
// migration at the end of a 4,000-migration history after an edit of one
// of the first migrations (open, unsaved): from the didChange of the early
// one to the new diagnostics of the late one. In between: the early one
// is re-analysed and recorded, the history replayed from it, and the late
// one re-analysed against the new schema.
func BenchmarkEditEarlyMigration(b *testing.B) {
	files := map[string]string{"mix.exs": "defmodule Shop.MixProject do\nend\n"}
	var early, earlyText string
	for i := 0; i < 4000; i++ {
		t := fmt.Sprintf("t%d", i/4)
		var body string
		switch i % 4 {
		case 0:
			body = fmt.Sprintf("  def change do\n    create table(:%s) do\n      add :name, :string, null: false\n      add :org_id, references(:orgs, on_delete: :delete_all)\n      add :price, :decimal, precision: 10, scale: 2\n      timestamps()\n    end\n    create unique_index(:%s, [:name])\n  end", t, t)
		case 1:
			body = fmt.Sprintf("  def change do\n    alter table(:%s) do\n      add :status, :string, default: \"new\"\n    end\n  end", t)
		case 2:
			body = fmt.Sprintf("  def up do\n    execute \"ALTER TABLE %s ADD CONSTRAINT %s_name_nn CHECK (name IS NOT NULL) NOT VALID\"\n    execute \"ALTER TABLE %s VALIDATE CONSTRAINT %s_name_nn\"\n  end\n  def down, do: :ok", t, t, t, t)
		case 3:
			body = fmt.Sprintf("  @disable_ddl_transaction true\n  @disable_migration_lock true\n  def change do\n    create index(:%s, [:status], concurrently: true)\n    rename table(:%s), :status, to: :state\n  end", t, t)
		}
		path := fmt.Sprintf("priv/repo/migrations/%014d_m%d.exs", 20200101000000+i, i)
		files[path] = fmt.Sprintf("defmodule Shop.Repo.Migrations.M%d do\n  use Ecto.Migration\n%s\nend\n", i, body)
		if i == 8 {
			early, earlyText = path, files[path] // creates t2
		}
	}
	late := "priv/repo/migrations/20990101000000_late.exs"
	lateText := "defmodule Shop.Repo.Migrations.Late do\n  use Ecto.Migration\n  def up do\n    alter table(:t2) do\n      modify :price, :bigint\n    end\n  end\n  def down, do: :ok\nend\n"
	files[late] = lateText
	ts := startServer(b, serverConfig{engine: NewAnalysisEngine(), debounce: -1, files: files})
	indexStart := time.Now()
	ts.client.awaitIndexed(b, 1)
	indexed := time.Since(indexStart)
	lateURI := ts.open(late, lateText)
	earlyURI := ts.open(early, earlyText)
	ts.client.await(b, earlyURI, 1)
	ts.client.awaitDiagnostics(b, lateURI, "the old type", func(l []string) bool { return has(l, `\(numeric\(10,2\) -> bigint`) })
	at := pos(b, earlyText, ":decimal, precision: 10, scale: 2", 0)
	old := ":decimal, precision: 10, scale: 2"
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		next, want := ":integer", `\(integer -> bigint`
		if i%2 == 1 {
			next, want = ":decimal, precision: 10, scale: 2", `\(numeric\(10,2\) -> bigint`
		}
		r := protocol.Range{Start: at, End: protocol.Position{Line: at.Line, Character: at.Character + uint32(len(old))}}
		start := time.Now()
		ts.change(earlyURI, int32(i+2), contentChange{Range: &r, Text: next})
		ts.client.awaitDiagnostics(b, lateURI, "after the edit", func(l []string) bool { return has(l, want) })
		lat = append(lat, time.Since(start))
		old = next
	}
	b.StopTimer()
	reportLatencies(b, lat)
	b.ReportMetric(float64(indexed.Milliseconds()), "index-ms")
}
