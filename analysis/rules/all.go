package rules

import "github.com/lockwise/lockwise/analysis"

// All is the rule catalog, in the order of DESIGN.md.
var All = []*analysis.Analyzer{
	IndexNotConcurrently,
}

// ByName finds a rule by id.
func ByName(id string) *analysis.Analyzer {
	for _, a := range All {
		if a.Name == id {
			return a
		}
	}
	return nil
}
