package pgsql

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// TypeName is a column type in canonical form, so that two spellings of one
// type compare equal: "character varying(255)" and "varchar(255)" are both
// {Name: "varchar", Mods: ["255"]}; "int", "int4" and "integer" are all
// "integer"; "timestamp(0) with time zone" is "timestamptz(0)".
type TypeName struct {
	// Schema is the schema the SQL qualifies the type with; pg_catalog is
	// dropped (built-in types are never shown qualified).
	Schema string
	// Name is the canonical base name: "varchar", "integer", "bigint",
	// "timestamptz", "numeric", "double precision", or a user type such as
	// "mood" (lower case unless quoted in the SQL).
	Name string
	// Mods are the type modifiers as written: ["255"] for varchar(255),
	// ["12", "2"] for numeric(12,2), ["0"] for timestamp(0).
	Mods []string
	// Array is true for an array type; PostgreSQL ignores the number of
	// dimensions and any bounds, so varchar[] and varchar[3][4] are the same.
	Array bool
	// Dynamic is true when the type name holds a placeholder.
	Dynamic bool
}

// canonicalNames maps the internal or alias names of built-in types to the
// names lockwise shows. Types absent from the map keep their name.
// The parser already turns the SQL-standard spellings (integer, character
// varying, double precision, decimal, timestamp with time zone...) into
// pg_catalog's internal names; the unqualified internal names (int8, bool)
// arrive as written.
var canonicalNames = map[string]string{
	"int2":    "smallint",
	"int4":    "integer",
	"int8":    "bigint",
	"float4":  "real",
	"float8":  "double precision",
	"bool":    "boolean",
	"bpchar":  "char",
	"serial4": "serial",
	"serial8": "bigserial",
	"serial2": "smallserial",
}

// String renders the canonical form: "varchar(255)", "numeric(12,2)[]",
// "public.mood". The empty TypeName renders as "".
func (t TypeName) String() string {
	if t.Name == "" {
		return ""
	}
	var b strings.Builder
	if t.Schema != "" {
		b.WriteString(quoteIfNeeded(t.Schema))
		b.WriteByte('.')
	}
	if t.Name == "double precision" {
		b.WriteString(t.Name)
	} else {
		b.WriteString(quoteIfNeeded(t.Name))
	}
	if len(t.Mods) > 0 {
		b.WriteByte('(')
		b.WriteString(strings.Join(t.Mods, ","))
		b.WriteByte(')')
	}
	if t.Array {
		b.WriteString("[]")
	}
	return b.String()
}

// quoteIfNeeded double-quotes a name that would not survive the parser's
// case folding ("Mood", "my type"), so that a canonical type parses back to
// itself. Reserved words are not detected.
func quoteIfNeeded(name string) string {
	for i, r := range name {
		if r >= 'a' && r <= 'z' || r == '_' || i > 0 && (r >= '0' && r <= '9' || r == '$') {
			continue
		}
		return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	}
	return name
}

// IsZero reports whether t names no type.
func (t TypeName) IsZero() bool { return t.Name == "" }

// IsSerial reports whether t is one of the serial pseudo-types, which are
// not types at all but "integer + a new sequence + DEFAULT nextval(...) +
// NOT NULL".
func (t TypeName) IsSerial() bool {
	if t.Schema != "" || t.Array {
		return false
	}
	switch t.Name {
	case "serial", "bigserial", "smallserial":
		return true
	}
	return false
}

// Base returns t without its modifiers and without array-ness.
func (t TypeName) Base() TypeName {
	return TypeName{Schema: t.Schema, Name: t.Name, Dynamic: t.Dynamic}
}

// Equal reports whether a and b are the same type. Schemas must match
// exactly: without the search_path, "mood" and "public.mood" cannot be
// proven equal.
func (a TypeName) Equal(b TypeName) bool {
	return a.String() == b.String()
}

// IntMod returns modifier i as an integer; ok is false when there is no
// such modifier or it is not a number.
func (t TypeName) IntMod(i int) (n int, ok bool) {
	if i >= len(t.Mods) {
		return 0, false
	}
	n, err := strconv.Atoi(t.Mods[i])
	return n, err == nil
}

// typeNameOf converts pg_query's TypeName into the canonical TypeName.
func typeNameOf(tn *pg.TypeName) TypeName {
	if tn == nil {
		return TypeName{}
	}
	var parts []string
	for _, n := range tn.GetNames() {
		parts = append(parts, n.GetString_().GetSval())
	}
	if len(parts) == 0 {
		return TypeName{}
	}
	t := TypeName{Name: parts[len(parts)-1]}
	if len(parts) > 1 {
		t.Schema = strings.Join(parts[:len(parts)-1], ".")
	}
	if t.Schema == "pg_catalog" {
		t.Schema = ""
	}
	if t.Schema == "" {
		if c, ok := canonicalNames[t.Name]; ok {
			t.Name = c
		}
	}
	for _, m := range tn.GetTypmods() {
		t.Mods = append(t.Mods, typmodText(m))
	}
	t.Array = len(tn.GetArrayBounds()) > 0
	t.Dynamic = IsDynamic(t.Schema) || IsDynamic(t.Name)
	for _, m := range t.Mods {
		t.Dynamic = t.Dynamic || IsDynamic(m)
	}
	return t
}

// typmodText renders one type modifier: a number, or the identifier
// written there (PostGIS's geometry(Point, 4326)), or any other expression
// as deparsed.
func typmodText(n *pg.Node) string {
	if c := n.GetAConst(); c != nil {
		return constText(c)
	}
	if ref := n.GetColumnRef(); ref != nil {
		return columnRefName(ref)
	}
	return deparseExpr(n)
}

// ParseType parses a type as written in SQL or rendered by Ecto
// ("varchar(255)", "character varying", "timestamp(0)", "decimal(12,2)",
// "varchar(255)[]", "mood") into its canonical form. ok is false when s is
// not a type name. Results are cached by s (the lock model asks for the
// same few types over and over); the caller owns the result.
func ParseType(s string) (t TypeName, ok bool) {
	p := typeCache.get(s, func(s string) piece {
		t, ok := parseType(s)
		return piece{ok: ok, typ: t}
	})
	t = p.typ
	t.Mods = cloneStrings(t.Mods)
	return t, p.ok
}

// parseType is ParseType without the cache.
func parseType(s string) (t TypeName, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, ";\x00") {
		return TypeName{}, false
	}
	// A cast is the smallest statement holding a type name; the parser then
	// does all the work of aliases (int, decimal, double precision...).
	tree, err := pg.Parse("SELECT NULL::" + s)
	if err != nil || len(tree.GetStmts()) != 1 {
		return TypeName{}, false
	}
	sel := tree.GetStmts()[0].GetStmt().GetSelectStmt()
	if sel == nil || len(sel.GetTargetList()) != 1 || sel.GetFromClause() != nil {
		return TypeName{}, false
	}
	if sel.GetWhereClause() != nil || sel.GetGroupClause() != nil || sel.GetHavingClause() != nil ||
		sel.GetSortClause() != nil || sel.GetLimitCount() != nil || sel.GetLimitOffset() != nil {
		return TypeName{}, false
	}
	target := sel.GetTargetList()[0].GetResTarget()
	cast := target.GetVal().GetTypeCast()
	if target.GetName() != "" || cast == nil || cast.GetArg().GetAConst() == nil || !cast.GetArg().GetAConst().GetIsnull() {
		return TypeName{}, false
	}
	t = typeNameOf(cast.GetTypeName())
	return t, t.Name != ""
}

// NormalizeType returns the canonical spelling of the type s (see
// TypeName), or s with surrounding space trimmed and in lower case when it
// does not parse as a type.
func NormalizeType(s string) string {
	if t, ok := ParseType(s); ok {
		return t.String()
	}
	return strings.ToLower(strings.TrimSpace(s))
}
