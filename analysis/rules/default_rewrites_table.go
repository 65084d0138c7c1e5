package rules

import (
	"strconv"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// DefaultRewritesTable: before PostgreSQL 11, adding a column with any
// default rewrites the table. Volatile defaults rewrite on every version
// and are volatile-default's.
var DefaultRewritesTable = &analysis.Analyzer{
	Name:     "default-rewrites-table",
	Doc:      "column with a default added to an existing table when postgres_version < 11: the whole table is rewritten under ACCESS EXCLUSIVE",
	Severity: analysis.Warning,
	EM:       []string{"column_added_with_default"},
	Run:      runDefaultRewritesTable,
}

func runDefaultRewritesTable(p *analysis.Pass) {
	if p.PGVersion() >= 11 {
		return
	}
	for _, c := range alterCmds(p, pgsql.AlterAddColumn) {
		f := c.sf.Facts
		col := c.cmd.Def
		if col == nil || !existing(c.sf) || !f.Rewrites || col.Default == nil || col.Default.Null ||
			col.Default.Volatility > pgsql.VolatilityStable || col.Type.IsSerial() || col.Identity != "" || col.Generated != nil {
			continue
		}
		start, end := c.where(analysis.SubAdd, analysis.SubAddIfNotExists)
		msg := "On PostgreSQL " + strconv.Itoa(p.PGVersion()) + " (postgres_version), ADD COLUMN " + tableName(col.Name) + " " + typeWord(col.Type) +
			" DEFAULT " + col.Default.Text + " writes the default into every row: it rewrites the whole table " + tableName(f.Table) +
			" and rebuilds all its indexes while it holds an " + lockOn(f) + ": " + blockedFor(f, true) +
			". (PostgreSQL >= 11 stores a non-volatile default in the catalog instead.) Instead " + moveDefaultAdvice
		d := diag(c.sf, start, end, msg)
		if fix, ok := moveDefaultFix(p, c); ok {
			d.Fixes = append(d.Fixes, fix)
		}
		reportShown(p, c.sf, d)
	}
}
