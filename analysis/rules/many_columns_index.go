package rules

import (
	"strconv"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// ManyColumnsIndex: a non-unique index on more than three columns.
var ManyColumnsIndex = &analysis.Analyzer{
	Name:     "many-columns-index",
	Doc:      "non-unique index on more than 3 columns: large, costly on every write, useful only for its leading columns",
	Severity: analysis.Info,
	EM:       []string{"many_columns_index"},
	Run:      runManyColumnsIndex,
}

func runManyColumnsIndex(p *analysis.Pass) {
	for _, sf := range statements(p) {
		ci, ok := sf.Stmt.Desc.(*pgsql.CreateIndex)
		if !ok || ci.Unique || len(ci.Columns) <= 3 || sf.Facts.Fails != nil {
			continue
		}
		var cols []string
		for _, c := range ci.Columns {
			if c.Column != "" {
				cols = append(cols, c.Column)
			} else if c.Expr != nil {
				cols = append(cols, c.Expr.Text)
			} else {
				cols = append(cols, "(expression)")
			}
		}
		msg := "non-unique index " + constraintWords(ci.Name) + "on " + strconv.Itoa(len(ci.Columns)) + " columns (" + strings.Join(cols, ", ") +
			") of " + tableName(ci.Table.String()) + ": an index this wide is large, is written by every INSERT and by every UPDATE " +
			"of one of its columns, and helps only queries that filter on its leading columns. Index fewer columns, " +
			"most selective first, and move the columns queries only read to `include:` (INCLUDE)."
		start, end := where(sf)
		p.Report(diag(sf, start, end, msg))
	}
}
