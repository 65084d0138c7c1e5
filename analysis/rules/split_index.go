package rules

import (
	"github.com/lockwise/lockwise/analysis"
)

// indexOwnMigrationFix is the expand-contract split of an index built
// without CONCURRENTLY in a migration that does other things: the index
// moves into a migration of its own that builds it concurrently (outside a
// transaction, without the migration lock), and the rest of this migration
// keeps its transaction.
func indexOwnMigrationFix(p *analysis.Pass, sf *analysis.StmtFacts) (analysis.Fix, bool) {
	m := p.Migration
	op := sf.Op
	if fromSQL(sf) || op.Index == nil || op.Repeated || op.Conditional || op.Dynamic || !inChange(m, op) || len(m.Up.Ops) < 2 {
		return analysis.Fix{}, false
	}
	call := nodeAt(m.File, op.Index.Start, op.Index.End, "index", "unique_index")
	opt, ok := addOptionEdit(m.File, call, 2, "concurrently", "true")
	if !ok {
		return analysis.Fix{}, false
	}
	if !ownLines(m, op.Start, op.End) {
		return analysis.Fix{}, false // the command shares its lines with other code
	}
	ls, le := lineSpan(m, op.Start, op.End)
	stmt := applyLocal(m.File.Src, op.Start, op.End, []analysis.TextEdit{opt})
	body := "  @disable_ddl_transaction true\n  @disable_migration_lock true\n\n" +
		"  # Moved out of " + baseName(m.Path) + ": CREATE INDEX CONCURRENTLY builds the index\n" +
		"  # without blocking writes, and cannot run inside the migration transaction.\n" +
		"  def change do\n    " + reindent(stmt, indentOf(m, op.Start), "    ")[4:] + "\n  end\n"
	nf := newMigration(p, 0, nameWords(op.Index.Name)+"_concurrently", body)
	return analysis.Fix{
		Title:    "Move the index into its own concurrent migration",
		Kind:     analysis.RefactorSplit,
		Edits:    []analysis.TextEdit{{Start: ls, End: le}},
		NewFiles: []analysis.NewFile{nf},
	}, true
}

func baseName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' || path[i] == '\\' {
			return path[i+1:]
		}
	}
	return path
}
