package rules

import (
	"strconv"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
	"github.com/lockwise/lockwise/grammar"
)

// EnumValueInTransaction: ALTER TYPE ... ADD VALUE in the migration
// transaction fails before PostgreSQL 12, and from 12 on the new value
// cannot be used before COMMIT (ERROR 55P04).
var EnumValueInTransaction = &analysis.Analyzer{
	Name:     "enum-value-in-transaction",
	Doc:      "ALTER TYPE ... ADD VALUE in a transaction: error before PG 12, and error 55P04 when the new value is used later in the same transaction",
	Severity: analysis.Error,
	Run:      runEnumValueInTransaction,
}

func runEnumValueInTransaction(p *analysis.Pass) {
	added := map[string]*analysis.StmtFacts{} // enum value -> the ADD VALUE that added it
	// Every diagnostic offers the same split: at the first use.
	var firstUse *analysis.Op
	for _, sf := range statements(p) {
		if sf.Facts.Fails != nil && sf.Facts.Fails.Code == "55P04" {
			firstUse = sf.Op
			break
		}
	}
	for _, sf := range statements(p) {
		if ae, ok := sf.Stmt.Desc.(*pgsql.AlterEnum); ok && ae.OldValue == "" {
			added[ae.Value] = sf
		}
		f := sf.Facts
		if f.Fails == nil {
			continue
		}
		switch f.Fails.Code {
		case "25001":
			if ae, ok := sf.Stmt.Desc.(*pgsql.AlterEnum); ok && ae.OldValue == "" {
				p.Report(addValueInTransaction(p, sf, ae))
			}
		case "55P04":
			p.Report(newValueUsed(p, sf, added, firstUse))
		}
	}
}

func addValueInTransaction(p *analysis.Pass, sf *analysis.StmtFacts, ae *pgsql.AlterEnum) analysis.Diagnostic {
	start, end := where(sf)
	d := diag(sf, start, end, "ALTER TYPE "+qname(ae.Type)+" ADD VALUE '"+ae.Value+"' runs inside the migration transaction: "+
		"PostgreSQL "+strconv.Itoa(p.PGVersion())+" rejects it (ERROR 25001 \""+sf.Facts.Fails.Message+"\"), so the migration fails. "+
		"Add the value in a migration of its own with @disable_ddl_transaction true, and use it in a later migration.")
	if fix, ok := addValueFix(p); ok {
		d.Fixes = append(d.Fixes, fix)
	}
	return d
}

func newValueUsed(p *analysis.Pass, sf *analysis.StmtFacts, added map[string]*analysis.StmtFacts, firstUse *analysis.Op) analysis.Diagnostic {
	f := sf.Facts
	var add *analysis.StmtFacts
	value, typ := "", ""
	for _, lit := range sf.Stmt.Literals {
		if a := added[lit.Value]; a != nil {
			add, value = a, lit.Value
			typ = qname(a.Stmt.Desc.(*pgsql.AlterEnum).Type)
			break
		}
	}
	start, end := where(sf)
	what := stmtVerb(sf) + " uses '" + value + "', which ALTER TYPE " + typ + " ADD VALUE added earlier in this migration's transaction"
	if value == "" {
		what = stmtVerb(sf) + " uses an enum value added earlier in this migration's transaction"
	}
	reject := "PostgreSQL rejects it (ERROR 55P04 \"" + f.Fails.Message + "\") until that transaction commits, so the migration fails. "
	if f.Fails.Condition != "" {
		reject = "if it is used as a value of type " + typ + " (a column of that type), " + reject
	}
	d := diag(sf, start, end, what+": "+reject+
		"Add the value in one migration and use it in a later one (from PostgreSQL 12 the ADD VALUE may stay in a transaction).")
	if add != nil {
		as, ae := where(add)
		d.Related = append(d.Related, analysis.Related{Start: as, End: ae, Message: "the value is added here"})
	}
	if fix, ok := splitChangeFix(p, firstUse, "Use the new value in a later migration", "use_"+nameWords(typ+"_"+value)); ok {
		d.Fixes = append(d.Fixes, fix)
	}
	return d
}

// addValueFix runs the ADD VALUEs without a transaction: when they are all
// the migration does, by setting @disable_ddl_transaction true; when other
// commands follow them, by moving those to a later migration too.
func addValueFix(p *analysis.Pass) (analysis.Fix, bool) {
	ops := p.Migration.Up.Ops
	k := 0
	for k < len(ops) && addsEnumValue(ops[k]) {
		k++
	}
	if k == 0 {
		return analysis.Fix{}, false
	}
	fix := analysis.Fix{Title: "Run ADD VALUE without a transaction", Kind: analysis.QuickFix}
	if k < len(ops) {
		split, ok := splitChangeFix(p, ops[k], fix.Title, "after_adding_enum_values")
		if !ok {
			return analysis.Fix{}, false
		}
		fix.Edits, fix.NewFiles = split.Edits, split.NewFiles
	}
	fix.Edits = append(fix.Edits, attributeEdits(p.Migration, "disable_ddl_transaction")...)
	return fix, true
}

// addsEnumValue reports whether op only adds enum values.
func addsEnumValue(op *analysis.Op) bool {
	n := 0
	for _, q := range op.Queries {
		for _, st := range q.Statements() {
			ae, ok := st.Desc.(*pgsql.AlterEnum)
			if !ok || ae.OldValue != "" {
				return false
			}
			n++
		}
	}
	return op.Kind == analysis.OpExecute && n > 0
}

// splitChangeFix moves the commands of change/0 from op to the end into a
// new migration that runs right after this one: what must wait for this
// migration's COMMIT then runs in a transaction of its own. Every moved
// statement must be a command written directly in change/0 (no helper, no
// module attribute, no variable), so that it means the same in the new
// module; and at least one command must stay.
func splitChangeFix(p *analysis.Pass, op *analysis.Op, title, name string) (analysis.Fix, bool) {
	m := p.Migration
	cb := m.Callbacks["change"]
	if cb == nil || op == nil || op.Callback != "change" || cb.Body == nil || cb.Body.Kind != grammar.Block {
		return analysis.Fix{}, false
	}
	body := cb.Body.Args
	idx := -1
	for i, s := range body {
		if s.Start == op.Start && s.End == op.End {
			idx = i
		}
	}
	if idx <= 0 {
		return analysis.Fix{}, false
	}
	direct := map[[2]int]bool{}
	for _, o := range m.Up.Ops {
		if o.Callback == "change" && len(o.Via) == 0 {
			direct[[2]int{o.Start, o.End}] = true
		}
	}
	for _, s := range body[:idx] {
		if s.Kind == grammar.BinaryOp && s.Text == "=" {
			return analysis.Fix{}, false
		}
	}
	for _, s := range body[idx:] {
		if !direct[[2]int{s.Start, s.End}] && !s.IsCall("flush") {
			return analysis.Fix{}, false
		}
		if m.Lines.Start(m.Lines.Line(s.Start))+len(lineIndent(m, s.Start)) != s.Start || usesAttribute(s) {
			return analysis.Fix{}, false
		}
	}
	first, last := m.Lines.Line(body[idx].Start), m.Lines.Line(body[len(body)-1].End)
	base := lineIndent(m, body[idx].Start)
	// The comment lines right above the first command go with it.
	for first > 0 && strings.HasPrefix(strings.TrimSpace(string(m.Lines.Text(first-1))), "#") &&
		m.Lines.Line(body[idx-1].End) < first-1 {
		first--
	}
	var moved strings.Builder
	for l := first; l <= last; l++ {
		text := string(m.Lines.Text(l))
		switch {
		case strings.TrimSpace(text) == "":
			moved.WriteString("\n")
		case strings.HasPrefix(text, base):
			moved.WriteString("    " + text[len(base):] + "\n")
		default:
			moved.WriteString(text + "\n")
		}
	}
	// Delete the moved lines, and the blank line that separated them.
	from := m.Lines.Start(first)
	if first > 0 && strings.TrimSpace(string(m.Lines.Text(first-1))) == "" {
		from = m.Lines.Start(first - 1)
	}
	nf := newMigration(p, 0, name, "\n  def change do\n"+moved.String()+"  end\n")
	return analysis.Fix{
		Title:    title,
		Kind:     analysis.RefactorSplit,
		Edits:    []analysis.TextEdit{{Start: from, End: m.Lines.Start(last + 1)}},
		NewFiles: []analysis.NewFile{nf},
	}, true
}

// usesAttribute reports whether a statement reads a module attribute,
// which the new module would not have.
func usesAttribute(n *grammar.Node) bool {
	found := false
	grammar.Walk(n, func(x *grammar.Node) bool {
		if x.Kind == grammar.UnaryOp && x.Text == "@" {
			found = true
		}
		return !found
	})
	return found
}
