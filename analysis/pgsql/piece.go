package pgsql

import (
	"strconv"
	"strings"
	"sync"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// Pieces. A caller that renders a statement itself from known parts (the
// analysis package, for the SQL Ecto lowers its DSL to) can describe it
// without parsing it, except for the parts that are free SQL text: a type,
// a DEFAULT expression, a CHECK condition, an index predicate. The functions
// below describe one such piece exactly as Parse would describe it inside
// the whole statement: each parses the piece inside the smallest statement
// of the same shape (a probe) and reads the same fields of the tree. They
// answer ok=false whenever the probe could mean something else in the
// caller's statement (a piece that is not one balanced expression, that
// holds a ';' or a comment), and the caller then parses its statement.
//
// Pieces recur across migrations (varchar(255), now(), 'pending'), so each
// result is cached by its text: the parser then runs once per distinct
// piece, not once per use. The results are copies the caller owns.

// pieceCacheLimit bounds each cache: a long-lived language server sees
// ever new texts as a user types, and a cache that is emptied now and then
// costs only a few parses again.
const pieceCacheLimit = 8192

// pieceCache maps a piece's text to its description; safe for concurrent use.
type pieceCache[V any] struct {
	mu sync.RWMutex
	m  map[string]V
}

func (c *pieceCache[V]) get(key string, compute func(string) V) V {
	c.mu.RLock()
	v, ok := c.m[key]
	c.mu.RUnlock()
	if ok {
		return v
	}
	v = compute(key)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= pieceCacheLimit {
		c.m = make(map[string]V)
	}
	c.m[key] = v
	c.mu.Unlock()
	return v
}

// piece is a cached description: an expression with its literals, or the
// other fields some pieces have.
type piece struct {
	ok         bool
	expr       *Expr
	literals   []Literal
	typ        TypeName
	identity   string      // ColumnGenerated
	constraint Constraint  // TableConstraint
	elems      []IndexElem // IndexElements
}

var (
	typeCache       pieceCache[piece]
	defaultCache    pieceCache[piece]
	setDefaultCache pieceCache[piece]
	generatedCache  pieceCache[piece]
	constraintCache pieceCache[piece]
	whereCache      pieceCache[piece]
	elemCache       pieceCache[piece]
)

// ColumnType describes s as the type of a column definition (after the
// column name, followed by a constraint, ',' or ')') or of ALTER COLUMN
// ... TYPE. It accepts the text ParseType accepts, written with letters,
// digits, '_', '$', '"', '.', ',', parentheses, brackets and single spaces:
// a type so written ends where the grammar's Typename ends, whatever
// follows it.
func ColumnType(s string) (TypeName, bool) {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return TypeName{}, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '_', c == '$', c == '"', c == '.', c == ',', c == '(', c == ')', c == '[', c == ']', c == ' ':
		default:
			return TypeName{}, false
		}
	}
	return ParseType(s)
}

// ColumnDefault describes text as the expression of DEFAULT text in a
// column definition (CREATE TABLE, ADD COLUMN), where the grammar reads a
// b_expr that the column's other clauses, ',' or ')' follow.
func ColumnDefault(text string) (*Expr, []Literal, bool) {
	if e, lits, ok := constantExpr(text); ok {
		return e, lits, true
	}
	p := defaultCache.get(text, func(text string) piece {
		if !balanced(text) {
			return piece{}
		}
		col, ok := probeColumn("CREATE TABLE t (c int DEFAULT " + text + ")")
		if !ok || len(col.GetConstraints()) != 1 {
			return piece{}
		}
		con := col.GetConstraints()[0].GetConstraint()
		if con.GetContype() != pg.ConstrType_CONSTR_DEFAULT || con.GetRawExpr() == nil {
			return piece{}
		}
		return piece{ok: true, expr: exprOf(con.GetRawExpr()), literals: literalsIn(con.GetRawExpr())}
	})
	return p.expr.clone(), cloneLiterals(p.literals), p.ok
}

// SetDefault describes text as the expression of ALTER TABLE ... ALTER
// COLUMN c SET DEFAULT text, where the grammar reads an a_expr that ',' or
// the end of the statement follows.
func SetDefault(text string) (*Expr, []Literal, bool) {
	if e, lits, ok := constantExpr(text); ok {
		return e, lits, true
	}
	p := setDefaultCache.get(text, func(text string) piece {
		if !balanced(text) {
			return piece{}
		}
		cmd, ok := probeAlterCmd("ALTER TABLE t ALTER COLUMN c SET DEFAULT " + text)
		if !ok || cmd.GetSubtype() != pg.AlterTableType_AT_ColumnDefault || cmd.GetDef() == nil {
			return piece{}
		}
		return piece{ok: true, expr: exprOf(cmd.GetDef()), literals: literalsIn(cmd.GetDef())}
	})
	return p.expr.clone(), cloneLiterals(p.literals), p.ok
}

// ColumnGenerated describes GENERATED text in a column definition, which
// the column's other clauses, ',' or ')' follow: an identity column
// (identity is "ALWAYS" or "BY DEFAULT") or a generated column (gen is its
// expression).
func ColumnGenerated(text string) (identity string, gen *Expr, lits []Literal, ok bool) {
	p := generatedCache.get(text, func(text string) piece {
		if !balanced(text) {
			return piece{}
		}
		col, ok := probeColumn("CREATE TABLE t (c int GENERATED " + text + ")")
		if !ok || len(col.GetConstraints()) != 1 {
			return piece{}
		}
		con := col.GetConstraints()[0].GetConstraint()
		switch con.GetContype() {
		case pg.ConstrType_CONSTR_IDENTITY:
			identity := "BY DEFAULT"
			if con.GetGeneratedWhen() == "a" {
				identity = "ALWAYS"
			}
			return piece{ok: true, identity: identity, literals: literalsIn(con)}
		case pg.ConstrType_CONSTR_GENERATED:
			return piece{ok: true, expr: exprOf(con.GetRawExpr()), literals: literalsIn(con)}
		}
		return piece{}
	})
	return p.identity, p.expr.clone(), cloneLiterals(p.literals), p.ok
}

// TableConstraint describes clause as it ends ALTER TABLE ... ADD
// CONSTRAINT name clause ("CHECK (price > 0) NOT VALID", "EXCLUDE USING
// gist (...)"). The constraint's Name is left empty: the caller knows it.
func TableConstraint(clause string) (Constraint, []Literal, bool) {
	p := constraintCache.get(clause, func(clause string) piece {
		cmd, ok := probeAlterCmd("ALTER TABLE t ADD CONSTRAINT c " + clause)
		if !ok || cmd.GetSubtype() != pg.AlterTableType_AT_AddConstraint || cmd.GetDef().GetConstraint() == nil {
			return piece{}
		}
		con := cmd.GetDef().GetConstraint()
		if con.GetConname() != "c" {
			return piece{}
		}
		k := constraintOf(con)
		k.Name = ""
		return piece{ok: true, constraint: k, literals: literalsIn(con)}
	})
	k := p.constraint
	k.Columns = cloneStrings(k.Columns)
	k.Include = cloneStrings(k.Include)
	k.Check = k.Check.clone()
	if k.References != nil {
		fk := *k.References
		fk.Columns = cloneStrings(fk.Columns)
		k.References = &fk
	}
	return k, cloneLiterals(p.literals), p.ok
}

// IndexWhere describes text as the predicate ending CREATE INDEX ... WHERE
// text.
func IndexWhere(text string) (*Expr, []Literal, bool) {
	p := whereCache.get(text, func(text string) piece {
		ix, ok := probeIndex("CREATE INDEX i ON t (c) WHERE " + text)
		if !ok || ix.GetWhereClause() == nil {
			return piece{}
		}
		return piece{ok: true, expr: exprOf(ix.GetWhereClause()), literals: literalsIn(ix.GetWhereClause())}
	})
	return p.expr.clone(), cloneLiterals(p.literals), p.ok
}

// IndexElements describes text as keys in the parenthesised key list of
// CREATE INDEX, which ',' or ')' follows: one key ("lower(email)", "name
// gin_trgm_ops", "(data->>'id') DESC") or several separated by commas.
func IndexElements(text string) ([]IndexElem, []Literal, bool) {
	p := elemCache.get(text, func(text string) piece {
		if !balanced(text) {
			return piece{}
		}
		ix, ok := probeIndex("CREATE INDEX i ON t (" + text + ")")
		if !ok || len(ix.GetIndexParams()) == 0 {
			return piece{}
		}
		var elems []IndexElem
		for _, p := range ix.GetIndexParams() {
			e := p.GetIndexElem()
			elems = append(elems, IndexElem{Column: e.GetName(), Expr: exprOf(e.GetExpr())})
		}
		var lits []Literal
		for _, p := range ix.GetIndexParams() {
			lits = append(lits, literalsIn(p)...)
		}
		return piece{ok: true, elems: elems, literals: lits}
	})
	elems := make([]IndexElem, len(p.elems))
	for i, e := range p.elems {
		elems[i] = IndexElem{Column: e.Column, Expr: e.Expr.clone()}
	}
	return elems, cloneLiterals(p.literals), p.ok
}

// probeStmt parses a probe that must be exactly one statement.
func probeStmt(sql string) (*pg.Node, bool) {
	if strings.ContainsRune(sql, 0) {
		return nil, false
	}
	tree, err := pg.Parse(sql)
	if err != nil || len(tree.GetStmts()) != 1 {
		return nil, false
	}
	return tree.GetStmts()[0].GetStmt(), true
}

// probeColumn returns the single column definition of a CREATE TABLE probe.
func probeColumn(sql string) (*pg.ColumnDef, bool) {
	n, ok := probeStmt(sql)
	if !ok {
		return nil, false
	}
	cs := n.GetCreateStmt()
	if cs == nil || len(cs.GetTableElts()) != 1 || cs.GetInhRelations() != nil || cs.GetPartbound() != nil ||
		cs.GetPartspec() != nil || cs.GetOptions() != nil || cs.GetOncommit() != pg.OnCommitAction_ONCOMMIT_NOOP ||
		cs.GetTablespacename() != "" || cs.GetAccessMethod() != "" {
		return nil, false
	}
	col := cs.GetTableElts()[0].GetColumnDef()
	if col == nil || col.GetColname() != "c" || col.GetCollClause() != nil || col.GetStorageName() != "" ||
		col.GetCompression() != "" || col.GetFdwoptions() != nil {
		return nil, false
	}
	return col, true
}

// probeAlterCmd returns the single sub-command of an ALTER TABLE probe.
func probeAlterCmd(sql string) (*pg.AlterTableCmd, bool) {
	n, ok := probeStmt(sql)
	if !ok {
		return nil, false
	}
	at := n.GetAlterTableStmt()
	if at == nil || len(at.GetCmds()) != 1 {
		return nil, false
	}
	return at.GetCmds()[0].GetAlterTableCmd(), true
}

// probeIndex returns the IndexStmt of a CREATE INDEX probe with nothing
// else than what the probe wrote and the piece.
func probeIndex(sql string) (*pg.IndexStmt, bool) {
	n, ok := probeStmt(sql)
	if !ok {
		return nil, false
	}
	ix := n.GetIndexStmt()
	if ix == nil || ix.GetIndexIncludingParams() != nil || ix.GetOptions() != nil || ix.GetTableSpace() != "" ||
		ix.GetAccessMethod() != "btree" || ix.GetUnique() || ix.GetNullsNotDistinct() {
		return nil, false
	}
	return ix, true
}

// balanced reports whether text is a run of whole tokens whose
// parentheses and brackets pair up, with no ';' and no comment: such a
// piece cannot close the caller's parentheses or reach past its own end,
// so what follows it in the caller's statement (',' ')' NOT NULL...) is
// read the same as in the probe.
func balanced(text string) bool {
	if strings.Contains(text, "--") || strings.Contains(text, "/*") || strings.ContainsRune(text, 0) {
		return false
	}
	res, err := pg.Scan(text)
	if err != nil {
		return false
	}
	var stack []pg.Token
	for _, t := range res.GetTokens() {
		switch t.GetToken() {
		case pg.Token_ASCII_40, pg.Token_ASCII_91: // ( [
			stack = append(stack, t.GetToken())
		case pg.Token_ASCII_41: // )
			if len(stack) == 0 || stack[len(stack)-1] != pg.Token_ASCII_40 {
				return false
			}
			stack = stack[:len(stack)-1]
		case pg.Token_ASCII_93: // ]
			if len(stack) == 0 || stack[len(stack)-1] != pg.Token_ASCII_91 {
				return false
			}
			stack = stack[:len(stack)-1]
		case pg.Token_ASCII_59, pg.Token_SQL_COMMENT, pg.Token_C_COMMENT:
			return false
		}
	}
	return len(stack) == 0
}

// constantExpr describes the constants Ecto renders most (NULL, true, false,
// small non-negative integers, plain string literals) without the parser:
// each is one A_Const node, whatever surrounds it.
func constantExpr(text string) (*Expr, []Literal, bool) {
	switch text {
	case "NULL":
		return &Expr{Text: "NULL", Null: true}, nil, true
	case "true", "false":
		return &Expr{Text: text}, nil, true
	}
	if text == "" {
		return nil, nil, false
	}
	if text[0] >= '0' && text[0] <= '9' {
		// An integer that fits in 32 bits is an Integer constant; larger
		// ones are Float constants, leading zeros are dropped: parse those.
		if len(text) > 10 || (text[0] == '0' && len(text) > 1) {
			return nil, nil, false
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil || n > 1<<31-1 {
			return nil, nil, false
		}
		return &Expr{Text: text}, nil, true
	}
	if value, ok := plainString(text); ok {
		e := &Expr{Text: deparseString(value), Dynamic: IsDynamic(value)}
		return e, []Literal{{Value: value}}, true
	}
	return nil, nil, false
}

// plainString unquotes a standard string literal 'it”s' whose only
// escapes are doubled quotes.
func plainString(text string) (string, bool) {
	if len(text) < 2 || text[0] != '\'' || text[len(text)-1] != '\'' {
		return "", false
	}
	inner := text[1 : len(text)-1]
	if !strings.Contains(inner, "'") {
		return inner, true
	}
	var b strings.Builder
	for i := 0; i < len(inner); i++ {
		if inner[i] == '\'' {
			if i+1 >= len(inner) || inner[i+1] != '\'' {
				return "", false
			}
			i++
		}
		b.WriteByte(inner[i])
	}
	return b.String(), true
}

// deparseString renders a string constant as pg_query's deparser does: E”
// syntax with doubled backslashes when the value has a backslash, quotes
// doubled.
func deparseString(value string) string {
	var b strings.Builder
	if strings.Contains(value, `\`) {
		b.WriteByte('E')
	}
	b.WriteByte('\'')
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c == '\'' || c == '\\' {
			b.WriteByte(c)
		}
		b.WriteByte(c)
	}
	b.WriteByte('\'')
	return b.String()
}

// clone copies an expression so that a cached one is never shared.
func (e *Expr) clone() *Expr {
	if e == nil {
		return nil
	}
	c := *e
	c.Functions = cloneStrings(e.Functions)
	c.UnknownFunctions = cloneStrings(e.UnknownFunctions)
	return &c
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}

func cloneLiterals(lits []Literal) []Literal {
	if lits == nil {
		return nil
	}
	out := make([]Literal, len(lits))
	for i, l := range lits {
		out[i] = l
		out[i].Cast.Mods = cloneStrings(l.Cast.Mods)
	}
	return out
}
