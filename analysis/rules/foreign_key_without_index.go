package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// ForeignKeyWithoutIndex: PostgreSQL indexes the referenced key of a
// foreign key, never the referencing columns.
var ForeignKeyWithoutIndex = &analysis.Analyzer{
	Name:     "foreign-key-without-index",
	Doc:      "foreign key column with no index: deletes on the referenced table and joins scan the referencing table",
	Severity: analysis.Info,
	Run:      runForeignKeyWithoutIndex,
}

// foreignKey is a foreign key a statement adds.
type foreignKey struct {
	sf      *analysis.StmtFacts
	table   pgsql.QName
	columns []string
	ref     pgsql.QName
	// created is true when the statement creates the table.
	created bool
}

func runForeignKeyWithoutIndex(p *analysis.Pass) {
	indexed := map[string]bool{}
	var fks []foreignKey
	for _, sf := range statements(p) {
		if sf.Facts.Fails != nil {
			continue
		}
		switch d := sf.Stmt.Desc.(type) {
		case *pgsql.CreateIndex:
			if len(d.Columns) > 0 && d.Columns[0].Column != "" {
				indexed[columnKey(d.Table, d.Columns[0].Column)] = true
			}
		case *pgsql.CreateTable:
			for _, col := range d.Columns {
				for _, k := range col.Constraints {
					fks, indexed = noteConstraint(fks, indexed, sf, d.Table, &k, []string{col.Name}, true)
				}
			}
			for i := range d.Constraints {
				fks, indexed = noteConstraint(fks, indexed, sf, d.Table, &d.Constraints[i], d.Constraints[i].Columns, true)
			}
		case *pgsql.AlterTable:
			if d.Object != pgsql.ObjectTable {
				continue
			}
			for _, c := range d.Cmds {
				switch {
				case c.Kind == pgsql.AlterAddConstraint && c.Constraint != nil:
					fks, indexed = noteConstraint(fks, indexed, sf, d.Table, c.Constraint, c.Constraint.Columns, false)
				case c.Kind == pgsql.AlterAddColumn && c.Def != nil:
					for _, k := range c.Def.Constraints {
						fks, indexed = noteConstraint(fks, indexed, sf, d.Table, &k, []string{c.Column}, false)
					}
				}
			}
		}
	}
	slot := len(validatedAdds(p))
	for _, sf := range statements(p) {
		if sf.Facts.ValidateSameTx {
			slot++
		}
	}
	for _, fk := range fks {
		col := fk.columns[0]
		if indexed[columnKey(fk.table, col)] || fk.table.Dynamic {
			continue
		}
		if p.Schema != nil {
			if idx, ok := p.Schema.ColumnIndexes(fk.table.Schema, fk.table.Name, col); ok && len(idx) > 0 {
				continue
			}
		}
		isNew := fk.created || fk.sf.Facts.TableNew
		cols := "(" + strings.Join(fk.columns, ", ") + ")"
		msg := "foreign key " + tableName(fk.table.String()) + cols + " -> " + tableName(fk.ref.String()) + " has no index on " +
			tableName(fk.table.String()) + cols + ": PostgreSQL indexes only the referenced key, so every DELETE of a " +
			tableName(fk.ref.String()) + " row (and every change of its key) scans " + tableName(fk.table.String()) +
			" for referencing rows, and joins on " + col + " read the whole table. "
		if isNew {
			msg += "Add `create " + indexCall(fk.table, fk.columns, false, false) + "` in this migration."
		} else {
			msg += "Add `create " + indexCall(fk.table, fk.columns, false, true) + "` in a migration of its own with " +
				"@disable_ddl_transaction true and @disable_migration_lock true (" + tableName(fk.table.String()) + " already exists)."
		}
		start, end := whereColumn(fk.sf, col, analysis.SubAdd, analysis.SubAddIfNotExists, analysis.SubModify)
		d := diag(fk.sf, start, end, msg)
		if isNew {
			if e, ok := insertAfterOp(p, fk.sf.Op, "create "+indexCall(fk.table, fk.columns, false, false)); ok {
				d.Fixes = append(d.Fixes, analysis.Fix{Title: "Index the foreign key column", Kind: analysis.QuickFix, Edits: []analysis.TextEdit{e}})
			}
		} else {
			name := "index_" + nameWords(fk.table.Name+"_"+strings.Join(fk.columns, "_"))
			body := "\n  @disable_ddl_transaction true\n  @disable_migration_lock true\n\n  def change do\n    create " +
				indexCall(fk.table, fk.columns, false, true) + "\n  end\n"
			d.Fixes = append(d.Fixes, analysis.Fix{Title: "Index the foreign key column in a new migration", Kind: analysis.RefactorSplit,
				NewFiles: []analysis.NewFile{newMigration(p, slot, name, body)}})
			slot++
		}
		p.Report(d)
	}
}

// noteConstraint records a foreign key, or the leading column of the index
// a PRIMARY KEY, UNIQUE or EXCLUDE constraint builds.
func noteConstraint(fks []foreignKey, indexed map[string]bool, sf *analysis.StmtFacts, table pgsql.QName, k *pgsql.Constraint, columns []string, created bool) ([]foreignKey, map[string]bool) {
	if len(columns) == 0 {
		return fks, indexed
	}
	switch k.Kind {
	case pgsql.ConstraintForeignKey:
		if k.References != nil {
			fks = append(fks, foreignKey{sf: sf, table: table, columns: columns, ref: k.References.Table, created: created})
		}
	case pgsql.ConstraintPrimaryKey, pgsql.ConstraintUnique, pgsql.ConstraintExclude:
		if k.UsingIndex == "" {
			indexed[columnKey(table, columns[0])] = true
		}
	}
	return fks, indexed
}

// columnKey identifies a column of a table, the default schema as public.
func columnKey(t pgsql.QName, column string) string {
	schema := t.Schema
	if schema == "" {
		schema = "public"
	}
	return schema + "." + t.Name + "." + column
}

// insertAfterOp inserts a line of Elixir after an op written on lines of
// its own, straight in its callback, at its indentation.
func insertAfterOp(p *analysis.Pass, op *analysis.Op, code string) (analysis.TextEdit, bool) {
	m := p.Migration
	if len(op.Via) > 0 || op.Conditional || op.Repeated || op.Reversed {
		return analysis.TextEdit{}, false
	}
	src := m.File.Src
	first, last := m.Lines.Line(op.Start), m.Lines.Line(op.End)
	indent := string(src[m.Lines.Start(first):op.Start])
	if strings.TrimSpace(indent) != "" {
		return analysis.TextEdit{}, false
	}
	if rest := strings.TrimSpace(string(src[op.End:m.Lines.End(last)])); rest != "" && !strings.HasPrefix(rest, "#") {
		return analysis.TextEdit{}, false
	}
	at := m.Lines.End(last)
	return analysis.TextEdit{Start: at, End: at, NewText: "\n\n" + indent + code}, true
}
