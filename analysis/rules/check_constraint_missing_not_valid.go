package rules

import (
	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// CheckConstraintMissingNotValid: a CHECK constraint added to an existing
// table with validation scans the table under ACCESS EXCLUSIVE.
var CheckConstraintMissingNotValid = &analysis.Analyzer{
	Name:     "check-constraint-missing-not-valid",
	Doc:      "CHECK constraint added to an existing table without `validate: false` / NOT VALID: every row is checked under ACCESS EXCLUSIVE",
	Severity: analysis.Warning,
	EM:       []string{"check_constraint_added"},
	Run:      runCheckConstraintMissingNotValid,
}

func runCheckConstraintMissingNotValid(p *analysis.Pass) {
	for slot, va := range validatedAdds(p) {
		k := va.cmd.Constraint
		if k.Kind != pgsql.ConstraintCheck {
			continue
		}
		sf := va.sf
		how := "`validate: false` (NOT VALID)"
		if fromSQL(sf) || sf.Op.Kind != analysis.OpCreateConstraint {
			how = "NOT VALID"
		}
		start, end := where(sf)
		d := diag(sf, start, end, checkMessage(sf, addConstraintWords(k.Name, "CHECK"))+
			"Add it with "+how+": existing rows are not checked, so the lock is held only for a catalog change, "+
			"while new and updated rows are checked at once. Then run ALTER TABLE ... VALIDATE CONSTRAINT in a later migration: "+
			"it takes SHARE UPDATE EXCLUSIVE, so reads and writes go on during the scan.")
		if fix, ok := notValidFix(p, va, slot, "Add the check constraint NOT VALID and validate it in a new migration"); ok {
			d.Fixes = append(d.Fixes, fix)
		}
		p.Report(d)
	}
	// A CHECK written on a column added by ALTER TABLE cannot be NOT VALID.
	for _, sf := range statements(p) {
		at, ok := sf.Stmt.Desc.(*pgsql.AlterTable)
		if !ok || !existing(sf) || sf.Facts.Fails != nil {
			continue
		}
		for _, c := range at.Cmds {
			if c.Kind != pgsql.AlterAddColumn || c.Def == nil {
				continue
			}
			for _, k := range c.Def.Constraints {
				if k.Kind != pgsql.ConstraintCheck {
					continue
				}
				start, end := whereColumn(sf, c.Column, analysis.SubAdd, analysis.SubAddIfNotExists)
				p.Report(diag(sf, start, end, checkMessage(sf, "ADD COLUMN "+tableName(c.Column)+" with an inline CHECK")+
					"An inline CHECK cannot be NOT VALID: add the column without it, then ADD CONSTRAINT ... CHECK (...) NOT VALID, "+
					"and VALIDATE CONSTRAINT in a later migration (SHARE UPDATE EXCLUSIVE: reads and writes go on)."))
			}
		}
	}
}

// checkMessage says what validating a CHECK does to the table.
func checkMessage(sf *analysis.StmtFacts, what string) string {
	f := sf.Facts
	mode := max(f.Mode, f.Held)
	return what + " checks every row of existing table " + tableName(f.Table) + " while holding " + mode.String() +
		": " + modeBlocks(mode) + " on the table waits for a time proportional to its size. "
}
