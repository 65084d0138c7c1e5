package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
)

// EctoRejects reports what Ecto raises on before any SQL of the command is
// sent (or what does not even compile): a command outside its block, an
// unknown option, the :datetime type, a module as a column type...
var EctoRejects = &analysis.Analyzer{
	Name:     "ecto-rejects",
	Doc:      "a migration command Ecto raises on (command outside a create/alter block, unknown option, :datetime type...): the migration fails",
	Severity: analysis.Error,
	Run:      runEctoRejects,
}

func runEctoRejects(p *analysis.Pass) {
	m := p.Migration
	for _, pr := range m.Problems {
		if pr.Kind != analysis.Rejected {
			continue
		}
		start, end := pr.Start, pr.End
		if start == 0 && end == 0 {
			start, end = m.ModuleRange.Start, m.ModuleRange.Start+len("defmodule")
		}
		msg := strings.TrimSuffix(pr.Message, ".") + ". `mix ecto.migrate` stops on this migration with that error (or cannot compile it): " +
			"in a transactional migration nothing of it is applied; without a transaction the commands before this one stay applied and the version is not recorded."
		if pr.Direction == analysis.Down {
			msg = strings.TrimSuffix(pr.Message, ".") + ". Rolling the migration back (`mix ecto.rollback`) stops here with that error: " +
				"in a transactional migration nothing of the rollback is applied; without a transaction the commands before this one are already undone."
		}
		p.Report(analysis.Diagnostic{Start: start, End: end, Classification: analysis.Dangerous, Message: msg})
	}
}
