package rules

import (
	"fmt"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// notNullColumnSplit is the expand-contract split of a NOT NULL column
// added without a default to an existing table (which fails on any row):
//
//  1. this migration adds the column nullable, with a NOT VALID
//     CHECK (col IS NOT NULL): new rows must fill it, old rows are not read;
//  2. a backfill migration fills the existing rows in keyset batches, each
//     in its own short transaction, throttled, safe to run again;
//  3. a last migration validates the check (reads and writes go on), sets
//     NOT NULL (PostgreSQL >= 12 proves it from the check: no scan) and
//     drops the check.
func notNullColumnSplit(p *analysis.Pass, sf *analysis.StmtFacts, s *analysis.Sub) (analysis.Fix, bool) {
	m := p.Migration
	op := sf.Op
	if s == nil || s.Kind != analysis.SubAdd || s.Timestamps || s.Dynamic || op.Table == nil || op.Table.Dynamic ||
		op.Dynamic || op.Repeated || op.Conditional || len(op.Via) > 0 || op.Kind != analysis.OpAlterTable || s.Ref() != nil {
		return analysis.Fix{}, false
	}
	if v, ok := s.Opt("null"); !ok || v.Kind != analysis.VBool || v.S != "false" {
		return analysis.Fix{}, false
	}
	call := nodeAt(m.File, s.Start, s.End, "add")
	rm, ok := removeKeywordEdit(call, "null")
	if !ok || !inChange(m, op) && op.Callback != "up" {
		return analysis.Fix{}, false
	}
	table, col := op.Table.Name, s.Column
	prefixOpt := ""
	if op.Table.Prefix != "" {
		prefixOpt = ", prefix: " + elixirString(op.Table.Prefix)
	}
	check := table + "_" + col + "_not_null"
	indent := indentOf(m, op.Start)
	_, opEnd := lineSpan(m, op.Start, op.End)
	// 1. Here: nullable column + NOT VALID check right after the block.
	add := indent + "# Expand: the column is nullable for now; the NOT VALID check makes new and updated rows\n" +
		indent + "# fill it without reading the existing ones. Deploy code that writes " + col + " before this runs.\n" +
		indent + "create constraint(" + atomLiteral(table) + ", " + atomLiteral(check) + ", check: " + elixirString(sqlIdent(col)+" IS NOT NULL") + ", validate: false" + prefixOpt + ")\n"
	edits := []analysis.TextEdit{rm, {Start: opEnd, End: opEnd, NewText: add}}

	qtable := sqlName(qnameOf(op.Table))
	// 2. The backfill.
	pk := "id"
	source := elixirString(table)
	if op.Table.Prefix != "" {
		source += ", prefix: " + elixirString(op.Table.Prefix)
	}
	backfill := backfillMigration{
		comment: fmt.Sprintf(`  # Backfill: fills %[1]s.%[2]s for the rows that existed before the column, in
  # batches of @batch_size rows ordered by %[3]s, each UPDATE in its own short
  # transaction, pausing @throttle_ms between batches. Safe to run again: it
  # only touches rows where %[2]s is still NULL.
`, table, col, pk),
		source:  source,
		key:     pk,
		pending: "is_nil(r." + col + ")",
		set:     "[" + col + ": ^value_for_existing_rows()]",
		extra: fmt.Sprintf(`
  # TODO: the value the existing rows get (of the column's type).
  defp value_for_existing_rows, do: raise("lockwise: write the value existing %s rows get for %s")
`, table, col),
	}.body()
	f2 := newMigration(p, 0, "backfill_"+nameWords(table+"_"+col), backfill)
	// 3. Contract: validate, SET NOT NULL, drop the check.
	validate := "ALTER TABLE " + qtable + " VALIDATE CONSTRAINT " + sqlIdent(check)
	setNN := "ALTER TABLE " + qtable + " ALTER COLUMN " + sqlIdent(col) + " SET NOT NULL"
	dropCheck := "ALTER TABLE " + qtable + " DROP CONSTRAINT " + sqlIdent(check)
	note := "  # Contract: VALIDATE reads every row under SHARE UPDATE EXCLUSIVE (reads and writes go on);\n" +
		"  # SET NOT NULL then takes ACCESS EXCLUSIVE for an instant: PostgreSQL >= 12 proves it from the\n" +
		"  # validated check without scanning the table. The check is then redundant.\n"
	if p.PGVersion() < 12 {
		note = "  # PostgreSQL < 12 cannot use the check: SET NOT NULL scans the table under ACCESS EXCLUSIVE.\n"
	}
	contract := note +
		"  def up do\n" +
		"    execute " + elixirString(validate) + "\n" +
		"    execute " + elixirString(setNN) + "\n" +
		"    execute " + elixirString(dropCheck) + "\n" +
		"  end\n\n" +
		"  def down do\n" +
		"    execute " + elixirString("ALTER TABLE "+qtable+" ADD CONSTRAINT "+sqlIdent(check)+" CHECK ("+sqlIdent(col)+" IS NOT NULL) NOT VALID") + "\n" +
		"    execute " + elixirString("ALTER TABLE "+qtable+" ALTER COLUMN "+sqlIdent(col)+" DROP NOT NULL") + "\n" +
		"  end\n"
	f3 := newMigration(p, 1, "set_"+nameWords(table+"_"+col)+"_not_null", contract)
	return analysis.Fix{
		Title:    "Split into nullable column + NOT VALID check, batched backfill, SET NOT NULL",
		Kind:     analysis.RefactorSplit,
		Edits:    edits,
		NewFiles: []analysis.NewFile{f2, f3},
	}, true
}

func qnameOf(t *analysis.TableRef) pgsql.QName { return pgsql.QName{Schema: t.Prefix, Name: t.Name} }
