package rules

import (
	"strconv"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// NonTransactionalMixedChanges: a migration without its DDL transaction
// that does more than concurrent index work can be left half applied.
var NonTransactionalMixedChanges = &analysis.Analyzer{
	Name:     "non-transactional-mixed-changes",
	Doc:      "migration with the DDL transaction disabled that does more than concurrent index work: a failure leaves it half applied",
	Severity: analysis.Warning,
	Run:      runNonTransactionalMixedChanges,
}

// mixedChange is a statement (or a repo call whose SQL is built at run
// time) that changes the database.
type mixedChange struct {
	sf         *analysis.StmtFacts // nil for a repo data change
	of         *analysis.OpFacts
	start, end int
	what       string
}

func runNonTransactionalMixedChanges(p *analysis.Pass) {
	m := p.Migration
	if m.Transaction {
		return
	}
	var changes []mixedChange
	var outside []string // the statements that must run outside a transaction
	seen := map[[2]int]bool{}
	for _, of := range p.Up {
		if len(of.Stmts) == 0 && of.Op.Exec != nil && of.Op.Exec.DataChange {
			changes = append(changes, mixedChange{of: of, start: of.Op.Start, end: of.Op.End, what: "this data change"})
			continue
		}
		// A command holding concurrent work is concurrent work as a whole
		// (the COMMENT ON INDEX of create index(..., comment: ...)).
		concurrent := false
		for _, sf := range of.Stmts {
			if what := outsideTxWork(sf.Stmt.Desc); what != "" {
				outside = append(outside, what)
				concurrent = true
			}
		}
		for _, sf := range of.Stmts {
			if concurrent && !fromSQL(sf) || outsideTxWork(sf.Stmt.Desc) != "" {
				continue
			}
			if !changesDatabase(sf.Stmt) {
				continue
			}
			start, end := where(sf)
			if seen[[2]int{start, end}] {
				continue // one report per Ecto command
			}
			seen[[2]int{start, end}] = true
			changes = append(changes, mixedChange{sf: sf, of: of, start: start, end: end, what: "this " + statementWords(sf.Stmt)})
		}
	}
	if len(changes) == 0 || len(changes)+len(outside) < 2 {
		return // one statement applies entirely or not at all
	}
	half := "if a statement fails, those before it stay applied while schema_migrations does not record the migration, " +
		"so the next `mix ecto.migrate` runs them again and stops on the first that is not idempotent (e.g. ERROR 42701: column already exists)"
	for _, c := range changes {
		var msg string
		var fix *analysis.Fix
		if len(outside) == 0 {
			msg = "this migration runs outside a transaction (@disable_ddl_transaction true) although none of its " +
				strconv.Itoa(len(changes)) + " changes needs to: " + half + ". " +
				"Remove @disable_ddl_transaction true so that they apply all or nothing."
			if edits := removeAttributeEdits(m, "disable_ddl_transaction"); len(edits) > 0 {
				fix = &analysis.Fix{Title: "Run the migration in a transaction", Kind: analysis.QuickFix, Edits: edits}
			}
		} else {
			msg = "this migration runs outside a transaction (@disable_ddl_transaction true) for " + outside[0] +
				" and also runs " + c.what + ": " + half + ". " +
				"Move " + c.what + " to a migration of its own that keeps the DDL transaction, and keep only the concurrent index work here."
		}
		var d analysis.Diagnostic
		if c.sf != nil {
			d = diag(c.sf, c.start, c.end, msg)
		} else {
			d = analysis.Diagnostic{Start: c.start, End: c.end, Message: msg, Classification: c.of.Classification}
		}
		if fix != nil {
			d.Fixes = append(d.Fixes, *fix)
		}
		p.Report(d)
	}
}

// outsideTxWork names a statement that has to run outside a transaction
// and is the reason to disable it: concurrent index work, VACUUM.
func outsideTxWork(d pgsql.Description) string {
	if what := concurrentKind(d, true); what != "" {
		return what
	}
	if v, ok := d.(*pgsql.Vacuum); ok && !v.IsAnalyze {
		return "VACUUM"
	}
	return ""
}

// changesDatabase reports whether a statement changes something: SET,
// plain SELECTs, ANALYZE and transaction control do not.
func changesDatabase(st *analysis.Statement) bool {
	if st.Err != nil {
		return true
	}
	switch d := st.Desc.(type) {
	case *pgsql.Set, *pgsql.Transaction:
		return false
	case *pgsql.Vacuum:
		return !d.IsAnalyze
	case *pgsql.Select:
		for _, c := range d.Calls {
			if c.Name.Name != "set_config" {
				return true
			}
		}
		return d.Locking != ""
	}
	return st.Desc != nil
}

// statementWords names a statement in messages ("ALTER TABLE").
func statementWords(st *analysis.Statement) string {
	if st.Desc == nil {
		return "statement"
	}
	return strings.ToUpper(string(st.Desc.Kind()))
}

// removeAttributeEdits deletes the lines of the module attributes name
// that are set to true.
func removeAttributeEdits(m *analysis.Migration, name string) []analysis.TextEdit {
	var edits []analysis.TextEdit
	for _, a := range m.Attrs {
		if a.Name != name || !a.Value.Truthy() {
			continue
		}
		line := m.Lines.Line(a.Start)
		start, end := m.Lines.Start(line), m.Lines.Start(line+1)
		if strings.TrimSpace(string(m.File.Src[start:a.Start])) != "" || strings.TrimSpace(string(m.File.Src[a.End:m.Lines.End(line)])) != "" {
			start, end = a.Start, a.End // other code on the line
		}
		edits = append(edits, analysis.TextEdit{Start: start, End: end})
	}
	return edits
}
