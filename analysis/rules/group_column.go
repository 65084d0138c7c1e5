package rules

import "github.com/lockwise/lockwise/analysis"

// columnRules are the rules about columns, defaults, types, renames and drops.
var columnRules = []*analysis.Analyzer{}
