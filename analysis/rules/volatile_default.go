package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// VolatileDefault: a column added to an existing table with a value
// computed per row (volatile default, serial, identity, stored generated
// column) makes PostgreSQL rewrite the whole table.
var VolatileDefault = &analysis.Analyzer{
	Name:     "volatile-default",
	Doc:      "column with a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval, serial, identity, generated stored) added to an existing table: the whole table is rewritten under ACCESS EXCLUSIVE",
	Severity: analysis.Warning,
	EM:       []string{"column_volatile_default"},
	Run:      runVolatileDefault,
}

func runVolatileDefault(p *analysis.Pass) {
	for _, c := range alterCmds(p, pgsql.AlterAddColumn) {
		f := c.sf.Facts
		col := c.cmd.Def
		if col == nil || !existing(c.sf) || !f.Rewrites && !f.MayRewrite {
			continue
		}
		head := "ADD COLUMN " + tableName(col.Name) + " " + typeWord(col.Type)
		rewrite := " rewrites the whole table " + tableName(f.Table) + " and rebuilds all its indexes while it holds an " + lockOn(f) + ": " +
			blockedFor(f, true) + ". "
		var msg string
		fixable := false
		switch {
		case col.Type.IsSerial() || col.Identity != "":
			what := col.Type.Name
			if col.Identity != "" {
				what = "an identity column (GENERATED " + col.Identity + " AS IDENTITY)"
			}
			msg = head + " on existing table " + tableName(f.Table) + ": " + what + " fills every existing row from a new sequence (nextval is volatile), so it" + rewrite +
				"Instead add a plain nullable bigint column, give it a sequence default with ALTER COLUMN ... SET DEFAULT nextval(...) (existing rows are not touched), " +
				"backfill the existing rows in batches, then add NOT NULL and the constraints you need."
		case col.Generated != nil:
			msg = head + " GENERATED ALWAYS AS (" + col.Generated.Text + ") STORED on existing table " + tableName(f.Table) +
				": the expression is computed for every existing row, so it" + rewrite +
				"Instead add a plain nullable column, fill new rows with a trigger (or from the application), backfill the existing rows in batches."
		case col.Default != nil && col.Default.Volatility == pgsql.VolatilityVolatile:
			fixable = true
			msg = head + " DEFAULT " + col.Default.Text + " on existing table " + tableName(f.Table) + ": the default is volatile (a new value per row), so PostgreSQL evaluates it for every existing row and" + rewrite + "Instead " + moveDefaultAdvice
		case col.Default != nil && col.Default.Volatility == pgsql.VolatilityUnknown && f.MayRewrite:
			fixable = true
			msg = head + " DEFAULT " + col.Default.Text + " on existing table " + tableName(f.Table) + ": lockwise does not know the volatility of " +
				strings.Join(col.Default.UnknownFunctions, ", ") + ". If it is volatile (a new value per row), PostgreSQL evaluates it for every existing row and" +
				rewrite + "If it is immutable or stable, this is a catalog-only change. To be safe either way, " + moveDefaultAdvice
		default:
			continue
		}
		start, end := c.where(analysis.SubAdd, analysis.SubAddIfNotExists)
		d := diag(c.sf, start, end, msg)
		if fixable {
			if fix, ok := moveDefaultFix(p, c); ok {
				d.Fixes = append(d.Fixes, fix)
			}
		}
		reportShown(p, c.sf, d)
	}
}

// moveDefaultAdvice is the recipe for a default that would rewrite.
const moveDefaultAdvice = "add the column without a default, then set the default for new rows in a separate statement " +
	"(ALTER COLUMN ... SET DEFAULT does not touch existing rows), and backfill the existing rows in batches."

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// moveDefaultFix turns `add :c, type, default: expr` into `add :c, type`
// followed by an execute that sets the default for new rows only: no
// rewrite, existing rows stay NULL until a backfill. It is offered for DSL
// columns that are nullable (without the default, a NOT NULL column could
// not be added to a table with rows).
func moveDefaultFix(p *analysis.Pass, c columnCmd) (analysis.Fix, bool) {
	op := c.sf.Op
	s := c.sub(analysis.SubAdd, analysis.SubAddIfNotExists)
	col := c.cmd.Def
	if s == nil || col.NotNull || col.Default == nil || col.Default.Text == "" || op.Kind != analysis.OpAlterTable || op.Reversed || op.Dynamic || c.at.Table.Dynamic {
		return analysis.Fix{}, false
	}
	m := p.Migration
	call := nodeAt(m.File, s.Start, s.End, "add", "add_if_not_exists")
	remove, ok := removeKeywordEdit(call, "default")
	if !ok {
		return analysis.Fix{}, false
	}
	// The execute goes on the line after the alter block.
	line := m.Lines.Line(op.End)
	if strings.TrimSpace(string(m.File.Src[op.End:m.Lines.End(line)])) != "" {
		return analysis.Fix{}, false
	}
	table := sqlName(c.at.Table)
	up := "ALTER TABLE " + table + " ALTER COLUMN " + sqlIdent(col.Name) + " SET DEFAULT " + col.Default.Text
	call2 := "execute " + elixirString(up)
	if m.Up.Source == "change" {
		call2 += ", " + elixirString("ALTER TABLE "+table+" ALTER COLUMN "+sqlIdent(col.Name)+" DROP DEFAULT")
	}
	indent := lineIndent(m, op.Start)
	return analysis.Fix{
		Title: "Set the default for new rows only",
		Kind:  analysis.QuickFix,
		Edits: []analysis.TextEdit{remove, {Start: op.End, End: op.End, NewText: "\n\n" + indent + "# Existing rows stay NULL: backfill them in batches.\n" + indent + call2}},
	}, true
}
