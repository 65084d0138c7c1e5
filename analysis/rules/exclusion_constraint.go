package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// ExclusionConstraint: EXCLUDE constraints have no online path, and
// `validate: false` makes Ecto send SQL PostgreSQL rejects.
var ExclusionConstraint = &analysis.Analyzer{
	Name:     "exclusion-constraint",
	Doc:      "EXCLUDE constraint on an existing table: built under ACCESS EXCLUSIVE with no online path; `validate: false` emits SQL PostgreSQL rejects (0A000)",
	Severity: analysis.Warning,
	Run:      runExclusionConstraint,
}

func runExclusionConstraint(p *analysis.Pass) {
	for _, sf := range statements(p) {
		f := sf.Facts
		if f.Fails != nil && f.Fails.Code == "0A000" && strings.Contains(f.Fails.Message, "EXCLUDE") {
			reportExcludeNotValid(p, sf)
			continue
		}
		at, ok := sf.Stmt.Desc.(*pgsql.AlterTable)
		if !ok || !existing(sf) || f.Fails != nil {
			continue
		}
		for _, c := range at.Cmds {
			if c.Kind != pgsql.AlterAddConstraint || c.Constraint == nil || c.Constraint.Kind != pgsql.ConstraintExclude {
				continue
			}
			mode := max(f.Mode, f.Held)
			msg := addConstraintWords(c.Constraint.Name, "EXCLUDE") + " builds its index while holding " + mode.String() +
				" on existing table " + tableName(f.Table) + ": " + modeBlocks(mode) + " on the table waits for the whole build, " +
				"a time proportional to the table size. An exclusion constraint has no online path: it cannot be added NOT VALID " +
				"nor adopt an index built CONCURRENTLY. Add it while the table is small or in a maintenance window, " +
				"or enforce the rule another way (a trigger, the application)."
			start, end := where(sf)
			p.Report(diag(sf, start, end, msg))
		}
	}
}

// reportExcludeNotValid reports EXCLUDE ... NOT VALID, which PostgreSQL
// refuses before running anything.
func reportExcludeNotValid(p *analysis.Pass, sf *analysis.StmtFacts) {
	op := sf.Op
	dsl := !fromSQL(sf) && op.Kind == analysis.OpCreateConstraint && op.Constraint != nil
	msg := "PostgreSQL rejects EXCLUDE ... NOT VALID (ERROR 0A000: " + sf.Facts.Fails.Message + ")"
	if dsl {
		msg += ", which is what Ecto sends for `constraint(..., exclude: ..., validate: false)`"
	}
	msg += ": the migration stops here. An exclusion constraint is always checked against every row when it is added: "
	if dsl {
		msg += "remove `validate: false`, "
	} else {
		msg += "remove NOT VALID, "
	}
	msg += "and mind that it then builds its index under ACCESS EXCLUSIVE on the table, blocking every read and write for the whole build."
	start, end := where(sf)
	d := analysis.Diagnostic{Start: start, End: end, Message: msg, Classification: analysis.Dangerous}
	if op.Table != nil {
		d.Table = op.Table.QualifiedName()
	}
	if dsl {
		call := callWithin(p.Migration.File, op.Start, op.End, "constraint")
		if e, ok := removeKeywordEdit(call, "validate"); ok {
			d.Fixes = append(d.Fixes, analysis.Fix{Title: "Remove validate: false", Kind: analysis.QuickFix, Edits: []analysis.TextEdit{e}})
		}
	}
	p.Report(d)
}
