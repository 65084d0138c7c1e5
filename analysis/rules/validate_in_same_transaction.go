package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// ValidateInSameTransaction: VALIDATE CONSTRAINT in the transaction that
// added the constraint NOT VALID scans under the ADD's lock.
var ValidateInSameTransaction = &analysis.Analyzer{
	Name:     "validate-in-same-transaction",
	Doc:      "VALIDATE CONSTRAINT in the same transaction as its NOT VALID add: the scan runs under the lock the ADD took",
	Severity: analysis.Warning,
	Run:      runValidateInSameTransaction,
}

func runValidateInSameTransaction(p *analysis.Pass) {
	slot := len(validatedAdds(p))
	for _, sf := range statements(p) {
		f := sf.Facts
		if !f.ValidateSameTx || !existing(sf) || f.Fails != nil {
			continue
		}
		name := ""
		if at, ok := sf.Stmt.Desc.(*pgsql.AlterTable); ok {
			for _, c := range at.Cmds {
				if c.Kind == pgsql.AlterValidateConstraint {
					name = c.Name
					break
				}
			}
		}
		held := max(f.Held, f.Mode)
		msg := "VALIDATE CONSTRAINT " + constraintWords(name) + "runs in the transaction that added it NOT VALID: the " + held.String() +
			" lock taken on " + tableName(f.Table) + " by the ADD is held until COMMIT, so " + modeBlocks(held) +
			" on the table waits through the whole validation scan, a time proportional to the table size, and NOT VALID gains nothing. " +
			"Run the VALIDATE in a later migration: on its own it takes SHARE UPDATE EXCLUSIVE, and reads and writes go on."
		start, end := where(sf)
		d := diag(sf, start, end, msg)
		if fix, ok := moveToNewMigration(p, sf, slot, "validate_"+nameWords(name), "Move the VALIDATE to a new migration"); ok {
			d.Fixes = append(d.Fixes, fix)
			slot++
		}
		p.Report(d)
	}
}

// moveToNewMigration moves the execute call of a statement into a new
// migration that runs after this one. Only an execute written on lines of
// its own, straight in the callback, holding this one statement, moves.
func moveToNewMigration(p *analysis.Pass, sf *analysis.StmtFacts, slot int, name, title string) (analysis.Fix, bool) {
	m, op := p.Migration, sf.Op
	if op.Kind != analysis.OpExecute || len(op.Via) > 0 || op.Conditional || op.Repeated || op.Reversed ||
		len(sf.Query.Statements()) != 1 || name == "validate_" {
		return analysis.Fix{}, false
	}
	src := m.File.Src
	first, last := m.Lines.Line(op.Start), m.Lines.Line(op.End)
	lineStart := m.Lines.Start(first)
	indent := string(src[lineStart:op.Start])
	if strings.TrimSpace(indent) != "" {
		return analysis.Fix{}, false
	}
	if rest := strings.TrimSpace(string(src[op.End:m.Lines.End(last)])); rest != "" && !strings.HasPrefix(rest, "#") {
		return analysis.Fix{}, false
	}
	text := string(src[op.Start:op.End])
	if indent != "    " {
		text = strings.ReplaceAll(text, "\n"+indent, "\n    ")
	}
	var body string
	if op.Exec != nil && op.Exec.HasDown {
		body = "\n  def change do\n    " + text + "\n  end\n"
	} else {
		body = "\n  def up do\n    " + text + "\n  end\n\n  def down, do: :ok\n"
	}
	del := analysis.TextEdit{Start: lineStart, End: m.Lines.Start(last + 1)}
	nf := newMigration(p, slot, name, body)
	return analysis.Fix{Title: title, Kind: analysis.RefactorSplit, Edits: []analysis.TextEdit{del}, NewFiles: []analysis.NewFile{nf}}, true
}
