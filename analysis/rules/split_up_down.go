package rules

import (
	"strconv"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// upDownSplit rewrites an irreversible change/0 into up/0 and down/0: up/0
// is the same body; down/0 undoes its commands in reverse order, each with
// the inverse derived from the command (Ecto's own reversal where it has
// one, the SQL's inverse for execute/1, the workspace's knowledge of the
// old column for modify without from: and remove without type). A command
// whose inverse cannot be derived gets a raise that says so, so that the
// rollback stops there instead of silently doing nothing.
func upDownSplit(p *analysis.Pass) (analysis.Fix, bool) {
	m := p.Migration
	cb := m.Callbacks["change"]
	if cb == nil || m.Callbacks["up"] != nil || m.Callbacks["down"] != nil {
		return analysis.Fix{}, false
	}
	def := nodeAt(m.File, cb.Start, cb.End, "def")
	if def == nil {
		return analysis.Fix{}, false
	}
	var lines []string
	underived := 0
	for i := len(m.Up.Ops) - 1; i >= 0; i-- {
		op := m.Up.Ops[i]
		if op.Callback != "change" || len(op.Via) > 0 {
			lines = append(lines, "raise \"lockwise: cannot derive the inverse of a command run through a helper (line "+strconv.Itoa(m.Lines.Line(op.Start)+1)+"); write it here\"")
			underived++
			continue
		}
		inv, ok := inverse(p, op)
		if !ok {
			inv = []string{"raise \"lockwise: cannot derive the inverse of " + strings.ReplaceAll(titleOf(op), `"`, `\"`) + " (line " + strconv.Itoa(m.Lines.Line(op.Start)+1) + "); write it here\""}
			underived++
		}
		lines = append(lines, inv...)
	}
	if len(lines) == 0 || underived == len(lines) {
		return analysis.Fix{}, false
	}
	indent := indentOf(m, cb.Start)
	var b strings.Builder
	b.WriteString("\n\n" + indent + "def down do\n")
	for _, l := range lines {
		for _, ll := range strings.Split(l, "\n") {
			b.WriteString(indent + "  " + ll + "\n")
		}
	}
	b.WriteString(indent + "end")
	edits := []analysis.TextEdit{
		{Start: cb.NameStart, End: cb.NameEnd, NewText: "up"},
		{Start: cb.End, End: cb.End, NewText: b.String()},
	}
	return analysis.Fix{Title: "Write up/0 and down/0 with the inverse commands", Kind: analysis.RefactorSplit, Edits: edits}, true
}

// inverse derives the commands that undo op, as Elixir source lines.
func inverse(p *analysis.Pass, op *analysis.Op) ([]string, bool) {
	m := p.Migration
	src := func(start, end int) string { return string(m.File.Src[start:end]) }
	call := nodeAt(m.File, op.Start, op.End, "create", "create_if_not_exists", "alter", "execute", "rename", "drop", "drop_if_exists")
	if op.Dynamic && op.Kind != analysis.OpAlterTable || call == nil {
		return nil, false
	}
	obj := func() (string, bool) {
		if len(call.Args) == 0 {
			return "", false
		}
		return src(call.Args[0].Start, call.Args[0].End), true
	}
	switch op.Kind {
	case analysis.OpCreateIndex, analysis.OpCreateConstraint:
		o, ok := obj()
		return []string{"drop " + o}, ok
	case analysis.OpCreateIndexIfNotExists:
		o, ok := obj()
		return []string{"drop_if_exists " + o}, ok
	case analysis.OpCreateTable:
		t := nodeAt(m.File, op.TableSpec.Start, op.TableSpec.End, "table")
		if t == nil {
			return nil, false
		}
		return []string{"drop " + src(t.Start, t.End)}, true
	case analysis.OpCreateTableIfNotExists:
		t := nodeAt(m.File, op.TableSpec.Start, op.TableSpec.End, "table")
		if t == nil {
			return nil, false
		}
		return []string{"drop_if_exists " + src(t.Start, t.End)}, true
	case analysis.OpDropIndex, analysis.OpDropIndexIfExists:
		o, ok := obj()
		if op.Kind == analysis.OpDropIndexIfExists {
			return []string{"create_if_not_exists " + o}, ok
		}
		return []string{"create " + o}, ok
	case analysis.OpRenameColumn:
		t := nodeAt(m.File, op.TableSpec.Start, op.TableSpec.End, "table")
		if t == nil {
			return nil, false
		}
		return []string{"rename " + src(t.Start, t.End) + ", " + atomLiteral(op.NewColumn) + ", to: " + atomLiteral(op.OldColumn)}, true
	case analysis.OpRenameTable:
		return []string{"rename table(" + atomLiteral(op.NewTable.Name) + prefixArg(op.Table) + "), to: table(" + atomLiteral(op.Table.Name) + prefixArg(op.Table) + ")"}, true
	case analysis.OpExecute:
		if op.Exec != nil && op.Exec.HasDown && len(call.Args) == 2 {
			return []string{"execute " + src(call.Args[1].Start, call.Args[1].End)}, true
		}
		return inverseSQL(op)
	case analysis.OpAlterTable:
		return inverseAlter(p, op)
	}
	return nil, false
}

// inverseAlter undoes the sub-commands of an alter block, last first.
func inverseAlter(p *analysis.Pass, op *analysis.Op) ([]string, bool) {
	m := p.Migration
	t := nodeAt(m.File, op.TableSpec.Start, op.TableSpec.End, "table")
	if t == nil || op.Table == nil || op.Table.Dynamic {
		return nil, false
	}
	var subs []string
	for i := len(op.Subs) - 1; i >= 0; i-- {
		s := op.Subs[i]
		if s.Dynamic {
			return nil, false
		}
		call := nodeAt(m.File, s.Start, s.End, "add", "add_if_not_exists", "modify", "remove", "remove_if_exists", "timestamps")
		if call == nil {
			return nil, false
		}
		args := func(from int) string {
			if len(call.Args) <= from {
				return ""
			}
			return ", " + string(m.File.Src[call.Args[from].Start:call.Args[len(call.Args)-1].End])
		}
		switch {
		case s.Timestamps:
			if !strings.Contains(strings.Join(subs, "\n"), "# timestamps") {
				subs = append(subs, "remove :updated_at # timestamps", "remove :inserted_at # timestamps")
			}
		case s.Kind == analysis.SubAdd || s.Kind == analysis.SubAddIfNotExists:
			kw := "remove "
			if s.Kind == analysis.SubAddIfNotExists {
				kw = "remove_if_exists "
			}
			if len(call.Args) < 2 {
				return nil, false
			}
			subs = append(subs, kw+atomLiteral(s.Column)+", "+string(m.File.Src[call.Args[1].Start:call.Args[1].End]))
		case s.Kind == analysis.SubRemove && s.Type != nil:
			subs = append(subs, "add "+atomLiteral(s.Column)+args(1))
		case s.Kind == analysis.SubModify:
			if from, ok := s.Opt("from"); ok && from.Kind != analysis.VNil && from.IsStatic() && from.Kind != analysis.VRef {
				if from.Kind == analysis.VTuple && len(from.Items) == 2 {
					subs = append(subs, "modify "+atomLiteral(s.Column)+", "+from.Items[0].Elixir()+", "+keywordArgs(from.Items[1]))
				} else {
					subs = append(subs, "modify "+atomLiteral(s.Column)+", "+from.Elixir())
				}
				continue
			}
			typ, ok := oldType(p, op.Table, s.Column)
			if !ok {
				return nil, false
			}
			subs = append(subs, "modify "+atomLiteral(s.Column)+", "+atomLiteral(typ)+" # the type before this migration, from the earlier migrations")
		case (s.Kind == analysis.SubRemove || s.Kind == analysis.SubRemoveIfExists) && s.Type == nil:
			typ, ok := oldType(p, op.Table, s.Column)
			if !ok {
				return nil, false
			}
			kw := "add "
			if s.Kind == analysis.SubRemoveIfExists {
				kw = "add_if_not_exists "
			}
			subs = append(subs, kw+atomLiteral(s.Column)+", "+atomLiteral(typ)+" # its data is not restored")
		default:
			return nil, false
		}
	}
	block := "alter " + string(m.File.Src[t.Start:t.End]) + " do\n  " + strings.Join(subs, "\n  ") + "\nend"
	return []string{block}, true
}

// oldType is the SQL type of a column before this migration, as the
// workspace replayed it.
func oldType(p *analysis.Pass, t *analysis.TableRef, column string) (string, bool) {
	if p.Schema == nil {
		return "", false
	}
	return p.Schema.ColumnType(t.Prefix, t.Name, column)
}

// inverseSQL undoes the statements of an execute/1 whose inverse the SQL
// itself says: what it creates is dropped.
func inverseSQL(op *analysis.Op) ([]string, bool) {
	if len(op.Queries) != 1 || op.Queries[0].Dynamic {
		return nil, false
	}
	var out []string
	stmts := op.Queries[0].Statements()
	for i := len(stmts) - 1; i >= 0; i-- {
		st := stmts[i]
		if st.Err != nil {
			return nil, false
		}
		var sql string
		switch d := st.Desc.(type) {
		case *pgsql.CreateIndex:
			if d.Name == "" {
				return nil, false
			}
			conc := ""
			if d.Concurrently {
				conc = "CONCURRENTLY "
			}
			sql = "DROP INDEX " + conc + "IF EXISTS " + sqlName(pgsql.QName{Schema: d.Table.Schema, Name: d.Name})
		case *pgsql.CreateTable:
			sql = "DROP TABLE " + sqlName(d.Table)
		case *pgsql.CreateExtension:
			sql = "DROP EXTENSION IF EXISTS " + sqlIdent(d.Name)
		case *pgsql.CreateType:
			sql = "DROP TYPE " + sqlName(d.Type)
		case *pgsql.CreateView:
			kind := "VIEW "
			if d.Materialized {
				kind = "MATERIALIZED VIEW "
			}
			sql = "DROP " + kind + sqlName(d.View)
		case *pgsql.CreateSequence:
			sql = "DROP SEQUENCE " + sqlName(d.Sequence)
		case *pgsql.CreateTrigger:
			sql = "DROP TRIGGER " + sqlIdent(d.Name) + " ON " + sqlName(d.Table)
		case *pgsql.CreateFunction:
			if d.Replace {
				return nil, false // it may have replaced an older version
			}
			kind := "FUNCTION "
			if d.Procedure {
				kind = "PROCEDURE "
			}
			sql = "DROP " + kind + sqlName(d.Name)
		case *pgsql.AlterTable:
			var parts []string
			for j := len(d.Cmds) - 1; j >= 0; j-- {
				c := d.Cmds[j]
				switch {
				case c.Kind == pgsql.AlterAddColumn && c.Def != nil:
					parts = append(parts, "DROP COLUMN "+sqlIdent(c.Def.Name))
				case c.Kind == pgsql.AlterAddConstraint && c.Constraint != nil && c.Constraint.Name != "":
					parts = append(parts, "DROP CONSTRAINT "+sqlIdent(c.Constraint.Name))
				case c.Kind == pgsql.AlterValidateConstraint, c.Kind == pgsql.AlterSetStatistics:
					// nothing to undo
				default:
					return nil, false
				}
			}
			if len(parts) == 0 {
				continue
			}
			sql = "ALTER TABLE " + sqlName(d.Table) + " " + strings.Join(parts, ", ")
		case *pgsql.Comment, *pgsql.Grant, *pgsql.Vacuum, *pgsql.Set:
			return nil, false
		default:
			return nil, false
		}
		out = append(out, "execute "+elixirString(sql))
	}
	return out, len(out) > 0
}

func prefixArg(t *analysis.TableRef) string {
	if t.Prefix == "" {
		return ""
	}
	return ", prefix: " + elixirString(t.Prefix)
}

func titleOf(op *analysis.Op) string {
	if op.Table != nil && op.Table.Name != "" {
		return op.Kind.String() + " on " + op.Table.QualifiedName()
	}
	return op.Kind.String()
}
