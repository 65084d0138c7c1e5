package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// UniqueConstraintBuildsIndex: UNIQUE and PRIMARY KEY constraints added to
// an existing table build their index under ACCESS EXCLUSIVE.
var UniqueConstraintBuildsIndex = &analysis.Analyzer{
	Name:     "unique-constraint-builds-index",
	Doc:      "ADD UNIQUE / PRIMARY KEY constraint on an existing table: its index is built under ACCESS EXCLUSIVE",
	Severity: analysis.Warning,
	Run:      runUniqueConstraintBuildsIndex,
}

func runUniqueConstraintBuildsIndex(p *analysis.Pass) {
	for _, sf := range statements(p) {
		at, ok := sf.Stmt.Desc.(*pgsql.AlterTable)
		if !ok || at.Object != pgsql.ObjectTable || !existing(sf) || sf.Facts.Fails != nil {
			continue
		}
		for _, c := range at.Cmds {
			switch {
			case c.Kind == pgsql.AlterAddConstraint && c.Constraint != nil:
				k := c.Constraint
				if (k.Kind == pgsql.ConstraintUnique || k.Kind == pgsql.ConstraintPrimaryKey) && k.UsingIndex == "" {
					reportUniqueConstraint(p, sf, at, k, addConstraintWords(k.Name, constraintKindWords(k.Kind)))
				}
			case c.Kind == pgsql.AlterAddColumn && c.Def != nil:
				for i := range c.Def.Constraints {
					k := &c.Def.Constraints[i]
					if k.Kind == pgsql.ConstraintUnique || k.Kind == pgsql.ConstraintPrimaryKey {
						if len(k.Columns) == 0 {
							k = &pgsql.Constraint{Kind: k.Kind, Name: k.Name, Columns: []string{c.Column}}
						}
						reportUniqueConstraint(p, sf, at, k, "ADD COLUMN "+tableName(c.Column)+" ... "+constraintKindWords(k.Kind))
					}
				}
			}
		}
	}
}

func constraintKindWords(k pgsql.ConstraintKind) string { return strings.ToUpper(string(k)) }

func reportUniqueConstraint(p *analysis.Pass, sf *analysis.StmtFacts, at *pgsql.AlterTable, k *pgsql.Constraint, what string) {
	f := sf.Facts
	mode := max(f.Mode, f.Held)
	msg := what + " builds its unique index while holding " + mode.String() + " on existing table " + tableName(f.Table) + ": " +
		modeBlocks(mode) + " on the table waits for the whole build, a time proportional to the table size. "
	if len(k.Columns) > 0 && !at.Table.Dynamic {
		index := ectoIndexName(at.Table.Name, k.Columns)
		name := k.Name
		if name == "" {
			name = pgConstraintName(at.Table.Name, k)
		}
		msg += "Build the index first with `create " + indexCall(at.Table, k.Columns, true, true) +
			"` in a migration with @disable_ddl_transaction true and @disable_migration_lock true, then add the constraint with `ALTER TABLE " +
			sqlName(at.Table) + " ADD CONSTRAINT " + sqlIdent(name) + " " + constraintKindWords(k.Kind) + " USING INDEX " + sqlIdent(index) +
			"`, which only changes the catalog."
	} else {
		msg += "Build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX, which only changes the catalog."
	}
	if k.Kind == pgsql.ConstraintPrimaryKey {
		msg += " A PRIMARY KEY also makes its columns NOT NULL: unless they already are, that is one more scan under the same lock."
	}
	col := ""
	if len(k.Columns) > 0 {
		col = k.Columns[0]
	}
	start, end := whereColumn(sf, col, analysis.SubAdd, analysis.SubAddIfNotExists, analysis.SubModify)
	p.Report(diag(sf, start, end, msg))
}

// ectoIndexName is the name index(table, columns) gets in Ecto.
func ectoIndexName(table string, columns []string) string {
	name := table + "_" + strings.Join(columns, "_") + "_index"
	var b strings.Builder
	for _, c := range name {
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// pgConstraintName is the name PostgreSQL gives an unnamed UNIQUE or
// PRIMARY KEY constraint (before any truncation or numbering).
func pgConstraintName(table string, k *pgsql.Constraint) string {
	if k.Kind == pgsql.ConstraintPrimaryKey {
		return table + "_pkey"
	}
	return table + "_" + strings.Join(k.Columns, "_") + "_key"
}

// indexCall writes the Ecto index(...) call for columns of a table.
func indexCall(table pgsql.QName, columns []string, unique, concurrently bool) string {
	fn := "index"
	if unique {
		fn = "unique_index"
	}
	cols := make([]string, len(columns))
	for i, c := range columns {
		cols[i] = atomLiteral(c)
	}
	s := fn + "(" + atomLiteral(table.Name) + ", [" + strings.Join(cols, ", ") + "]"
	if table.Schema != "" {
		s += ", prefix: " + elixirString(table.Schema)
	}
	if concurrently {
		s += ", concurrently: true"
	}
	return s + ")"
}

// atomLiteral writes a name as an Elixir atom (:name or :"odd name").
func atomLiteral(s string) string { return analysis.Value{Kind: analysis.VAtom, S: s}.Elixir() }
