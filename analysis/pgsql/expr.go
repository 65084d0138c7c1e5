package pgsql

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// Volatility classifies an expression the way PostgreSQL decides whether a
// column default can be stored in the catalog (PG >= 11) or must be
// evaluated for every row, rewriting the table. The order matters: the
// volatility of an expression is the highest of its parts.
type Volatility int

const (
	// VolatilityConstant: no function call, or only immutable ones
	// (constants, casts of constants, ARRAY[], operators).
	VolatilityConstant Volatility = iota
	// VolatilityStable: calls stable functions such as now() or
	// CURRENT_TIMESTAMP, evaluated once per statement.
	VolatilityStable
	// VolatilityUnknown: calls a function lockwise does not know. It may be
	// volatile; callers must say they do not know rather than guess.
	VolatilityUnknown
	// VolatilityVolatile: calls a volatile function (random(),
	// gen_random_uuid(), clock_timestamp(), nextval()...), evaluated per row.
	VolatilityVolatile
)

func (v Volatility) String() string {
	switch v {
	case VolatilityConstant:
		return "constant"
	case VolatilityStable:
		return "stable"
	case VolatilityUnknown:
		return "unknown"
	case VolatilityVolatile:
		return "volatile"
	}
	return "Volatility(" + strconv.Itoa(int(v)) + ")"
}

// Expr is an SQL expression: a default, a USING clause, a CHECK condition,
// an index expression or predicate.
type Expr struct {
	// Text is the expression as pg_query deparses it ("now()",
	// "'x'::character varying"), "" if it could not be rendered.
	Text string
	// Volatility is the highest volatility of the functions it calls.
	Volatility Volatility
	// Functions are the functions it calls, lower case and qualified as
	// written ("now", "public.uuid_generate_v4"); SQL value functions are
	// upper case ("CURRENT_TIMESTAMP").
	Functions []string
	// UnknownFunctions are those of Functions whose volatility lockwise
	// does not know (they make Volatility VolatilityUnknown unless a known
	// volatile one is also called).
	UnknownFunctions []string
	// Null is true for the bare NULL constant (Ecto's `default: nil`).
	Null bool
	// Dynamic is true when the expression holds a placeholder.
	Dynamic bool
}

// functionVolatility lists the functions lockwise knows, by unqualified
// name, with their pg_proc.provolatile (PostgreSQL 15 catalog, plus the
// uuid-ossp and pgcrypto extensions and PG 18's uuidv4/uuidv7).
var functionVolatility = map[string]Volatility{
	// volatile: a new value per row, so a default using them rewrites.
	"random":             VolatilityVolatile,
	"random_normal":      VolatilityVolatile,
	"setseed":            VolatilityVolatile,
	"gen_random_uuid":    VolatilityVolatile,
	"uuidv4":             VolatilityVolatile,
	"uuidv7":             VolatilityVolatile,
	"uuid_generate_v1":   VolatilityVolatile,
	"uuid_generate_v1mc": VolatilityVolatile,
	"uuid_generate_v4":   VolatilityVolatile,
	"gen_random_bytes":   VolatilityVolatile,
	"clock_timestamp":    VolatilityVolatile,
	"timeofday":          VolatilityVolatile,
	"nextval":            VolatilityVolatile,
	"setval":             VolatilityVolatile,
	"currval":            VolatilityVolatile,
	"lastval":            VolatilityVolatile,
	"pg_sleep":           VolatilityVolatile,
	// stable: one value per statement.
	"now":                   VolatilityStable,
	"transaction_timestamp": VolatilityStable,
	"statement_timestamp":   VolatilityStable,
	"current_setting":       VolatilityStable,
	"current_database":      VolatilityStable,
	"current_schema":        VolatilityStable,
	"to_char":               VolatilityStable,
	"to_date":               VolatilityStable,
	"age":                   VolatilityStable,
	"concat":                VolatilityStable,
	"concat_ws":             VolatilityStable,
	"format":                VolatilityStable,
	"to_json":               VolatilityStable,
	"to_jsonb":              VolatilityStable,
	"json_build_object":     VolatilityStable,
	"jsonb_build_object":    VolatilityStable,
	"json_build_array":      VolatilityStable,
	"jsonb_build_array":     VolatilityStable,
	// immutable.
	"lower":          VolatilityConstant,
	"upper":          VolatilityConstant,
	"initcap":        VolatilityConstant,
	"length":         VolatilityConstant,
	"char_length":    VolatilityConstant,
	"octet_length":   VolatilityConstant,
	"md5":            VolatilityConstant,
	"sha256":         VolatilityConstant,
	"btrim":          VolatilityConstant,
	"ltrim":          VolatilityConstant,
	"rtrim":          VolatilityConstant,
	"substr":         VolatilityConstant,
	"replace":        VolatilityConstant,
	"left":           VolatilityConstant,
	"right":          VolatilityConstant,
	"lpad":           VolatilityConstant,
	"rpad":           VolatilityConstant,
	"repeat":         VolatilityConstant,
	"split_part":     VolatilityConstant,
	"regexp_replace": VolatilityConstant,
	"abs":            VolatilityConstant,
	"round":          VolatilityConstant,
	"trunc":          VolatilityConstant,
	"floor":          VolatilityConstant,
	"ceil":           VolatilityConstant,
	"mod":            VolatilityConstant,
	"power":          VolatilityConstant,
	"make_date":      VolatilityConstant,
	"make_time":      VolatilityConstant,
	"make_interval":  VolatilityConstant,
	"encode":         VolatilityConstant,
	"decode":         VolatilityConstant,
	"array_append":   VolatilityConstant,
	"array_cat":      VolatilityConstant,
	"jsonb_set":      VolatilityConstant,
}

// exprOf describes an expression node.
func exprOf(n *pg.Node) *Expr {
	if n == nil || n.GetNode() == nil {
		return nil
	}
	e := &Expr{Text: deparseExpr(n)}
	if c := n.GetAConst(); c != nil && c.GetIsnull() {
		e.Null = true
	}
	walk(n, func(m any) bool {
		switch m := m.(type) {
		case *pg.FuncCall:
			name := funcName(m.GetFuncname())
			e.Functions = append(e.Functions, name)
			v, known := functionVolatility[lastPart(name)]
			if !known {
				v = VolatilityUnknown
				e.UnknownFunctions = append(e.UnknownFunctions, name)
			}
			e.Volatility = max(e.Volatility, v)
		case *pg.SQLValueFunction:
			// CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIMESTAMP, CURRENT_USER...
			// are all stable.
			e.Functions = append(e.Functions, sqlValueFunctionName(m.GetOp()))
			e.Volatility = max(e.Volatility, VolatilityStable)
		case *pg.SubLink:
			// A subquery may call anything; it is not allowed in a default
			// anyway, but USING and CHECK expressions get here too.
			e.Volatility = max(e.Volatility, VolatilityUnknown)
		case *pg.ColumnRef:
			e.Dynamic = e.Dynamic || IsDynamic(columnRefName(m))
		case *pg.A_Const:
			e.Dynamic = e.Dynamic || IsDynamic(constText(m))
		}
		return true
	})
	e.Dynamic = e.Dynamic || IsDynamic(e.Text)
	return e
}

// sqlValueFunctionName names an SQLValueFunction as SQL writes it.
func sqlValueFunctionName(op pg.SQLValueFunctionOp) string {
	name := strings.TrimPrefix(op.String(), "SVFOP_")
	return strings.TrimSuffix(name, "_N")
}

// funcName joins a function's qualified name ("public.uuid_generate_v4").
func funcName(parts []*pg.Node) string {
	names := make([]string, 0, len(parts))
	for _, p := range parts {
		names = append(names, p.GetString_().GetSval())
	}
	return strings.Join(names, ".")
}

// lastPart returns the unqualified part of a dotted name.
func lastPart(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// constText renders a constant as its value: the string itself (without
// quotes), the number as written, "true"/"false", "NULL".
func constText(c *pg.A_Const) string {
	if c.GetIsnull() {
		return "NULL"
	}
	switch v := c.GetVal().(type) {
	case *pg.A_Const_Sval:
		return v.Sval.GetSval()
	case *pg.A_Const_Ival:
		return strconv.Itoa(int(v.Ival.GetIval()))
	case *pg.A_Const_Fval:
		return v.Fval.GetFval()
	case *pg.A_Const_Boolval:
		return strconv.FormatBool(v.Boolval.GetBoolval())
	case *pg.A_Const_Bsval:
		return v.Bsval.GetBsval()
	}
	return ""
}

// columnRefName joins the parts of a column reference ("t.c"; "*" for a star).
func columnRefName(ref *pg.ColumnRef) string {
	parts := make([]string, 0, len(ref.GetFields()))
	for _, f := range ref.GetFields() {
		if f.GetAStar() != nil {
			parts = append(parts, "*")
			continue
		}
		parts = append(parts, f.GetString_().GetSval())
	}
	return strings.Join(parts, ".")
}

// deparseExpr renders an expression node back to SQL by deparsing
// "SELECT <expr>" and cutting the SELECT off: pg_query only deparses whole
// statements. It returns "" when the deparser fails.
func deparseExpr(n *pg.Node) string {
	tree := &pg.ParseResult{Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: &pg.SelectStmt{
		TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: n}}}},
	}}}}}}
	out, err := pg.Deparse(tree)
	if err != nil {
		return ""
	}
	text, ok := strings.CutPrefix(out, "SELECT ")
	if !ok {
		return ""
	}
	return text
}
