package pgsql

import (
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// walk calls visit for every message of the parse tree under m, parents
// before children, and descends into a message only when visit returns
// true. It goes through protobuf reflection so that no node type is ever
// missed (pg_query has some 250 of them).
func walk(m proto.Message, visit func(any) bool) {
	if m == nil {
		return
	}
	r := m.ProtoReflect()
	if !r.IsValid() {
		return
	}
	if !visit(m) {
		return
	}
	r.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind || fd.IsMap() {
			return true
		}
		if fd.IsList() {
			list := v.List()
			for i := 0; i < list.Len(); i++ {
				walk(list.Get(i).Message().Interface(), visit)
			}
			return true
		}
		walk(v.Message().Interface(), visit)
		return true
	})
}

// relationsRead lists the relations a query (or any subtree) reads, in
// order of appearance and without duplicates, leaving out the names of its
// own WITH queries.
func relationsRead(m proto.Message) []QName {
	ctes := map[string]bool{}
	walk(m, func(n any) bool {
		if cte, ok := n.(*pg.CommonTableExpr); ok {
			ctes[cte.GetCtename()] = true
		}
		return true
	})
	var out []QName
	seen := map[QName]bool{}
	walk(m, func(n any) bool {
		rv, ok := n.(*pg.RangeVar)
		if !ok {
			return true
		}
		q := qnameOf(rv)
		if q.Schema == "" && ctes[q.Name] {
			return true
		}
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
		return true
	})
	return out
}

// literalsIn collects the string constants of a subtree, with the type
// they are cast to when the cast is written next to them ('happy'::mood).
func literalsIn(m proto.Message) []Literal {
	var out []Literal
	walk(m, func(n any) bool {
		switch n := n.(type) {
		case *pg.TypeCast:
			if c := n.GetArg().GetAConst(); c != nil {
				if s, ok := c.GetVal().(*pg.A_Const_Sval); ok {
					out = append(out, Literal{Value: s.Sval.GetSval(), Cast: typeNameOf(n.GetTypeName())})
					return false
				}
			}
		case *pg.A_Const:
			if s, ok := n.GetVal().(*pg.A_Const_Sval); ok {
				out = append(out, Literal{Value: s.Sval.GetSval()})
			}
		}
		return true
	})
	return out
}

// qnameOf converts a RangeVar; a nil RangeVar gives the zero QName.
func qnameOf(rv *pg.RangeVar) QName {
	if rv == nil {
		return QName{}
	}
	schema := rv.GetSchemaname()
	if rv.GetCatalogname() != "" {
		schema = rv.GetCatalogname() + "." + schema
	}
	return makeQName(schema, rv.GetRelname())
}

// qnameOfList converts a dotted name given as a list of String nodes
// (DROP, COMMENT ON, CREATE TYPE...).
func qnameOfList(parts []*pg.Node) QName {
	names := make([]string, 0, len(parts))
	for _, p := range parts {
		names = append(names, p.GetString_().GetSval())
	}
	switch len(names) {
	case 0:
		return QName{}
	case 1:
		return makeQName("", names[0])
	}
	return makeQName(strings.Join(names[:len(names)-1], "."), names[len(names)-1])
}

// stringsOf returns the values of a list of String nodes.
func stringsOf(nodes []*pg.Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.GetString_().GetSval())
	}
	return out
}
