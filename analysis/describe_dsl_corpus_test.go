//go:build corpus

package analysis

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/grammar"
)

// TestDescribeDSLCorpus compares the direct description of every DSL
// query of the migrations listed in $LOCKWISE_CORPUS (one path per line)
// with the parser's, and reports how many were described directly.
//
//	LOCKWISE_CORPUS=/work/corpus/ALL_MIGRATIONS.txt go test -tags corpus -run TestDescribeDSLCorpus -v ./analysis
func TestDescribeDSLCorpus(t *testing.T) {
	paths := corpusPaths(t)
	stats := &dslStats{}
	files := 0
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		files++
		compareDSL(t, Build(p, grammar.Parse(src), BuildOptions{}), stats)
	}
	t.Logf("%d files, %s (%.1f%% directly)", files, stats, 100*float64(stats.direct)/float64(stats.direct+stats.parsed))
	var kinds []string
	for k, n := range stats.fallbacks {
		kinds = append(kinds, k+": "+itoa(n))
	}
	sort.Strings(kinds)
	t.Logf("parsed, by command: %s", strings.Join(kinds, ", "))
}
