// Package rules holds lockwise's rule catalog (DESIGN.md "Rule catalog"),
// one rule per file in the style of golang.org/x/tools/go/analysis: each
// file declares one *analysis.Analyzer whose Run reads the migration model
// and the lock facts and reports diagnostics that say what happens in
// production and what to do instead. All lists them in catalog order.
package rules
