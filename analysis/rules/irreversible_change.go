package rules

import (
	"github.com/lockwise/lockwise/analysis"
)

// IrreversibleChange: change/0 holds a command Ecto cannot reverse, so
// rolling the migration back raises.
var IrreversibleChange = &analysis.Analyzer{
	Name:     "irreversible-change",
	Doc:      "change/0 holds a command Ecto cannot reverse (execute/1, modify without from:, remove without type, *_if_exists, drop): rollback raises",
	Severity: analysis.Warning,
	Run:      runIrreversibleChange,
}

func runIrreversibleChange(p *analysis.Pass) {
	m := p.Migration
	ir := m.Down.Irreversible
	if ir == nil || !m.Down.Reversed {
		return
	}
	start, end := ir.Start, ir.End
	if start == 0 && end == 0 {
		if cb := m.Callbacks["change"]; cb != nil {
			start, end = cb.NameStart, cb.NameEnd
		}
	}
	msg := "rolling back change/0 raises Ecto.MigrationError here: \"" + ir.Reason + "\". "
	if m.Transaction {
		msg += "`mix ecto.rollback` fails and its transaction is rolled back: this migration cannot be rolled back. "
	} else {
		msg += "`mix ecto.rollback` stops here after undoing the commands that follow this one (no transaction): the database is left half rolled back. "
	}
	msg += reverseHint(irreversibleOp(m, start, end))
	d := analysis.Diagnostic{Start: start, End: end, Message: msg, Classification: analysis.Dangerous}
	if fix, ok := upDownSplit(p); ok {
		d.Fixes = append(d.Fixes, fix)
	}
	p.Report(d)
}

// irreversibleOp finds the up op Ecto could not reverse.
func irreversibleOp(m *analysis.Migration, start, end int) *analysis.Op {
	for _, op := range m.Up.Ops {
		if op.Start == start && op.End == end {
			return op
		}
	}
	return nil
}

// reverseHint says how to make the command reversible.
func reverseHint(op *analysis.Op) string {
	if op == nil {
		return "Define up/0 and down/0 instead of change/0."
	}
	switch op.Kind {
	case analysis.OpExecute:
		return "Give execute the SQL that undoes it: `execute(up_sql, down_sql)`."
	case analysis.OpExecuteFn:
		return "Give execute a function that undoes it: `execute(up_fun, down_fun)`, or define up/0 and down/0."
	case analysis.OpAlterTable:
		return "Give `modify` the old type in `from:` (`from: {:old_type, old_opts}`), give `remove` the column type and options, " +
			"and do not use add_if_not_exists/remove_if_exists in change/0; or define up/0 and down/0."
	}
	return "Define up/0 and down/0 instead of change/0, with down/0 recreating what up/0 removes."
}
