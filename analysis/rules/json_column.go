package rules

import (
	"github.com/lockwise/lockwise/analysis"
)

// JSONColumn: a json column stores the text as written and has no
// equality operator; jsonb is what Ecto's :map uses.
//
// It is a type choice, not a lock: it reports columns of tables created in
// the same migration too.
var JSONColumn = &analysis.Analyzer{
	Name:     "json-column",
	Doc:      "`:json` column: no equality operator (DISTINCT, GROUP BY, UNION and unique indexes fail) and re-parsed on every access; use `:jsonb`",
	Severity: analysis.Info,
	EM:       []string{"json_column_added"},
	Run:      runJSONColumn,
}

func runJSONColumn(p *analysis.Pass) {
	for _, c := range typedColumns(p) {
		if c.typ.Name != "json" || c.typ.Schema != "" {
			continue
		}
		msg := "Column " + colRef(c.table, c.column) + " is " + typeWord(c.typ) + ": PostgreSQL stores json as the text written and has no equality operator for it, " +
			"so DISTINCT, GROUP BY, UNION, `=` and unique indexes on it fail, and every access parses the text again. " +
			"Use jsonb (Ecto's :map is jsonb): parsed once, comparable, indexable with GIN."
		d := c.diag(msg)
		if s := c.sub; s != nil {
			if n := typeAtom(s, "json"); n != nil {
				d.Fixes = append(d.Fixes, analysis.Fix{Title: "Use :jsonb", Kind: analysis.QuickFix,
					Edits: []analysis.TextEdit{{Start: n.Start, End: n.End, NewText: ":jsonb"}}})
			}
		}
		reportShown(p, c.sf, d)
	}
}
