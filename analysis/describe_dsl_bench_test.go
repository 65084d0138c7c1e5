package analysis

import "testing"

// BenchmarkBuildDirStatements2000: BenchmarkBuildDir2000 plus the
// statements of every query, as a check needs them; "parse" parses every
// query with pg_query, "direct" describes the DSL's queries from their
// commands.
func BenchmarkBuildDirStatements2000(b *testing.B) {
	files := dirFiles(b, 2000)
	for _, mode := range []struct {
		name   string
		direct bool
	}{{"parse", false}, {"direct", true}} {
		b.Run(mode.name, func(b *testing.B) {
			defer func(old bool) { describeDirectly = old }(describeDirectly)
			describeDirectly = mode.direct
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				buildDir(files, func(m *Migration) {
					for _, plan := range []Plan{m.Up, m.Down} {
						for _, op := range plan.Ops {
							for _, q := range op.Queries {
								q.Statements()
							}
						}
					}
				})
			}
		})
	}
}
