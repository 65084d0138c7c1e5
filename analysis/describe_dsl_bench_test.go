package analysis

import (
	"runtime"
	"sync"
	"testing"

	"github.com/lockwise/lockwise/grammar"
)

// BenchmarkBuildDirStatements2000: BenchmarkBuildDir2000 plus the
// statements of every query, as a check needs them; "parse" parses every
// query with pg_query, "direct" describes the DSL's queries from their
// commands.
func BenchmarkBuildDirStatements2000(b *testing.B) {
	srcs := fixtureSources(b)
	files := make([][]byte, 2000)
	for i := range files {
		files[i] = srcs[i%len(srcs)]
	}
	for _, mode := range []struct {
		name   string
		direct bool
	}{{"parse", false}, {"direct", true}} {
		b.Run(mode.name, func(b *testing.B) {
			defer func(old bool) { describeDirectly = old }(describeDirectly)
			describeDirectly = mode.direct
			b.ReportAllocs()
			workers := runtime.GOMAXPROCS(0)
			for i := 0; i < b.N; i++ {
				var wg sync.WaitGroup
				next := make(chan []byte)
				for w := 0; w < workers; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for src := range next {
							m := Build("x.exs", grammar.Parse(src), BuildOptions{})
							for _, plan := range []Plan{m.Up, m.Down} {
								for _, op := range plan.Ops {
									for _, q := range op.Queries {
										q.Statements()
									}
								}
							}
						}
					}()
				}
				for _, f := range files {
					next <- f
				}
				close(next)
				wg.Wait()
			}
		})
	}
}
