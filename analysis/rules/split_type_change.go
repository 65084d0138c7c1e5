package rules

import (
	"fmt"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/grammar"
)

// typeChangeSplit is the expand-contract split of a type change that
// rewrites the table (`modify :col, :new_type` in an alter block):
//
//  1. this migration adds a new column of the new type instead;
//  2. after a deploy whose code writes both columns, a backfill migration
//     copies the old values, cast, in keyset batches;
//  3. after a deploy whose code reads and writes only the new column (the
//     Ecto field kept by `source:`), the last migration drops the old one.
func typeChangeSplit(p *analysis.Pass, c columnCmd) (analysis.Fix, bool) {
	m := p.Migration
	op := c.sf.Op
	s := c.sub(analysis.SubModify)
	if s == nil || s.Dynamic || s.Ref() != nil || op.Table == nil || op.Table.Dynamic || op.Dynamic || op.Repeated ||
		op.Conditional || len(op.Via) > 0 || !ownLines(m, s.Start, s.End) || !inChange(m, op) && op.Callback != "up" {
		return analysis.Fix{}, false
	}
	call := nodeAt(m.File, s.Start, s.End, "modify")
	if call == nil || len(call.Args) < 2 {
		return analysis.Fix{}, false
	}
	table, col := op.Table.Name, s.Column
	newCol := col + "_new"
	if subFor(op, newCol) != nil {
		return analysis.Fix{}, false
	}
	// The new column: the modify's type and options, without from:, null:
	// and default: (they belong to the end of the change).
	typeSrc := string(m.File.Src[call.Args[1].Start:call.Args[1].End])
	indent := indentOf(m, s.Start)
	add := indent + "# Expand: a new column of the new type; the old one stays until the application no longer uses it.\n" +
		indent + "add " + atomLiteral(newCol) + ", " + typeSrc + shapeOpts(m, call) + "\n"
	ls, le := lineSpan(m, s.Start, s.End)
	sqlType := typeWord(c.cmd.Type)
	prefixOpt := ""
	if op.Table.Prefix != "" {
		prefixOpt = ", prefix: " + elixirString(op.Table.Prefix)
	}
	backfill := backfillMigration{
		comment: fmt.Sprintf(`  # Deploy first: application code that writes both %[1]s and %[2]s on every
  # insert and update (or a trigger doing it), so rows written from now on
  # need no backfill.
  #
  # Backfill: copies %[1]s into %[2]s as %[3]s for the existing rows, in
  # batches of @batch_size rows ordered by id, each UPDATE in its own short
  # transaction. Safe to run again: it only touches rows where %[2]s is NULL.
`, col, newCol, sqlType),
		source:  elixirString(table) + prefixOpt,
		key:     "id",
		pending: "is_nil(r." + newCol + ") and not is_nil(r." + col + ")",
		set:     "[" + newCol + ": fragment(" + elixirString("?::"+sqlType) + ", r." + col + ")]",
	}.body()
	f2 := newMigration(p, 0, "backfill_"+nameWords(table+"_"+newCol), backfill)
	contract := "  # Deploy first: application code that reads and writes only " + newCol + "\n" +
		"  # (in the Ecto schema: `field :" + col + ", ..., source: :" + newCol + "`).\n" +
		"  # Then the old column can go: DROP COLUMN takes ACCESS EXCLUSIVE for an instant, no rewrite.\n" +
		"  def change do\n" +
		"    alter table(" + atomLiteral(table) + prefixOpt + ") do\n" +
		"      " + removeOld(p, c) + "\n" +
		"    end\n" +
		"  end\n"
	f3 := newMigration(p, 1, "remove_"+nameWords(table+"_"+col), contract)
	return analysis.Fix{
		Title:    "Split into new column, batched backfill, drop of the old column",
		Kind:     analysis.RefactorSplit,
		Edits:    []analysis.TextEdit{{Start: ls, End: le, NewText: add}},
		NewFiles: []analysis.NewFile{f2, f3},
	}, true
}

// shapeOpts keeps the options of a modify that shape the type (size,
// precision, scale, collation...) for the new column; from:, null: and
// default: belong to the old column.
func shapeOpts(m *analysis.Migration, call *grammar.Node) string {
	if len(call.Args) < 3 || call.Args[2].Kind != grammar.Keywords {
		return ""
	}
	out := ""
	for _, pair := range call.Args[2].Args {
		switch pair.Text {
		case "from", "null", "default":
			continue
		}
		out += ", " + string(m.File.Src[pair.Start:pair.End])
	}
	return out
}

// removeOld is the remove of the contract step, with the old type when it
// is known so that the rollback can add the column back.
func removeOld(p *analysis.Pass, c columnCmd) string {
	col := atomLiteral(c.column())
	if s := c.sub(analysis.SubModify); s != nil {
		if from, ok := s.Opt("from"); ok && from.Kind != analysis.VNil && from.IsStatic() {
			if from.Kind == analysis.VTuple && len(from.Items) == 2 {
				return "remove " + col + ", " + from.Items[0].Elixir() + ", " + keywordArgs(from.Items[1])
			}
			return "remove " + col + ", " + from.Elixir()
		}
	}
	if p.Schema != nil {
		t := c.at.Table
		if typ, ok := p.Schema.ColumnType(t.Schema, t.Name, c.column()); ok {
			return "remove " + col + ", " + atomLiteral(typ)
		}
	}
	return "# The old type is not known: the rollback of this remove cannot add the column back.\n      remove " + col
}

// keywordArgs renders a keyword list as trailing call arguments.
func keywordArgs(v analysis.Value) string {
	s := v.Elixir()
	return s[1 : len(s)-1]
}
