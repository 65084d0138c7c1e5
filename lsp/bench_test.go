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

// Benchmarks run the whole server over the pipe with the fake engine; rerun
// them with the real engine to see its cost on top:
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
			ts := startServer(b, serverConfig{debounce: debounce})
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

// BenchmarkHover measures a hover request on an analysed 300-line migration.
func BenchmarkHover(b *testing.B) {
	ts := startServer(b, serverConfig{})
	text := sizedMigration(300)
	uri := ts.open(migrationPath, text)
	ts.client.await(b, uri, 1)
	at := pos(b, text, "create index(:t0", 3)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if ts.hover(uri, at) == nil {
			b.Fatal("no hover")
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportLatencies(b, lat)
}

// BenchmarkOpen50 measures the memory held by 50 open, analysed 300-line
// migrations (text, tree, snapshot, goroutine). heap-MB is the Go heap
// (the test client's records included); rss-MB adds tree-sitter's C
// allocations, which the Go heap does not see.
func BenchmarkOpen50(b *testing.B) {
	text := sizedMigration(300)
	for i := 0; i < b.N; i++ {
		ts := startServer(b, serverConfig{})
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
