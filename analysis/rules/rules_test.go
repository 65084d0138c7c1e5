package rules

import (
	"path/filepath"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/analysistest"
)

func init() { analysistest.Catalog = All }

// testRule runs a rule over its testdata directory, then checks its fixes.
func testRule(t *testing.T, a *analysis.Analyzer, opts ...analysistest.Options) {
	t.Helper()
	dir := filepath.Join("testdata", a.Name)
	analysistest.Run(t, dir, a, opts...)
	analysistest.RunWithSuggestedFixes(t, dir, a, opts...)
}

func TestIndexNotConcurrently(t *testing.T) { testRule(t, IndexNotConcurrently) }
