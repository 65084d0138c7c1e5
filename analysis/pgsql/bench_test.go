package pgsql

import (
	"strings"
	"testing"
)

// BenchmarkParseScript parses a 2000-statement script, as an
// execute_file of a schema dump would give.
func BenchmarkParseScript(b *testing.B) {
	script := strings.Repeat("ALTER TABLE t ADD COLUMN c integer DEFAULT 0; -- comment\n", 2000)
	for i := 0; i < b.N; i++ {
		if got := len(Parse(script)); got != 2000 {
			b.Fatalf("%d statements", got)
		}
	}
}
