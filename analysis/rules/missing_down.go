package rules

import (
	"github.com/lockwise/lockwise/analysis"
)

// MissingDown: a migration with up/0 and neither down/0 nor change/0
// cannot be rolled back: Ecto raises.
var MissingDown = &analysis.Analyzer{
	Name:     "missing-down",
	Doc:      "up/0 without down/0: rolling the migration back raises Ecto.MigrationError",
	Severity: analysis.Warning,
	Run:      runMissingDown,
}

func runMissingDown(p *analysis.Pass) {
	m := p.Migration
	up := m.Callbacks["up"]
	if up == nil || m.Callbacks["down"] != nil || m.Callbacks["change"] != nil {
		return
	}
	reason := m.Module + " does not implement a `down/0` or `change/0` function"
	if ir := m.Down.Irreversible; ir != nil && ir.Reason != "" {
		reason = ir.Reason
	}
	p.Report(analysis.Diagnostic{
		Start: up.NameStart, End: up.NameEnd, Classification: analysis.Dangerous,
		Message: "up/0 has no down/0: `mix ecto.rollback` of this migration raises Ecto.MigrationError (\"" + reason + "\"), " +
			"so a bad deploy cannot be rolled back through Ecto. Write a down/0 that undoes up/0 " +
			"(or `def down, do: :ok` when there is nothing to undo, such as a data change you do not want to revert).",
	})
}
