package rules

import "github.com/lockwise/lockwise/analysis"

// transactionRules are the rules about transactions, data changes,
// reversibility and SQL lockwise cannot see through.
var transactionRules = []*analysis.Analyzer{}
