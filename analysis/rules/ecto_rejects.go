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

// ectoRaises are the phrases of the model's Problems about constructs Ecto
// (or the compiler) rejects. The model gives Problems as text only.
var ectoRaises = []string{
	"Ecto raises", "(Ecto raises", "FunctionClauseError", "KeyError", "ArgumentError",
	"is not supported, please use", "invalid migration type", "does not support keyword lists",
	"does not implement a `", "needs a table, index or constraint", "with a do block needs a table",
	"alter needs a table and a do block", "rename needs `to:`", "execute takes one or two arguments",
	"needs a type", "unknown drop mode",
}

// problemRaises reports whether a model Problem says Ecto rejects the code.
func problemRaises(pr analysis.Problem) bool {
	for _, s := range ectoRaises {
		if strings.Contains(pr.Message, s) {
			return true
		}
	}
	return false
}

func runEctoRejects(p *analysis.Pass) {
	m := p.Migration
	for _, pr := range m.Problems {
		if !problemRaises(pr) {
			continue
		}
		start, end := pr.Start, pr.End
		if start == 0 && end == 0 {
			start, end = m.ModuleRange.Start, m.ModuleRange.Start+len("defmodule")
		}
		msg := strings.TrimSuffix(pr.Message, ".") + ". `mix ecto.migrate` stops on this migration with that error (or cannot compile it): " +
			"in a transactional migration nothing of it is applied; without a transaction the commands before this one stay applied and the version is not recorded."
		if down := m.Callbacks["down"]; down != nil && down.Start <= start && end <= down.End {
			msg = strings.TrimSuffix(pr.Message, ".") + ". Rolling the migration back (`mix ecto.rollback`) stops here with that error: " +
				"in a transactional migration nothing of the rollback is applied; without a transaction the commands before this one are already undone."
		}
		p.Report(analysis.Diagnostic{Start: start, End: end, Classification: analysis.Dangerous, Message: msg})
	}
}
