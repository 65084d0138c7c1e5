package pgsql

import (
	pg "github.com/pganalyze/pg_query_go/v5"
)

// columnOf describes a column definition with its inline constraints.
func columnOf(cd *pg.ColumnDef) Column {
	c := Column{Name: cd.GetColname(), Type: typeNameOf(cd.GetTypeName()), Dynamic: IsDynamic(cd.GetColname())}
	if coll := cd.GetCollClause(); coll != nil {
		c.Collation = qnameOfList(coll.GetCollname()).String()
	}
	for _, n := range cd.GetConstraints() {
		con := n.GetConstraint()
		switch con.GetContype() {
		case pg.ConstrType_CONSTR_NOTNULL:
			c.NotNull = true
		case pg.ConstrType_CONSTR_NULL:
			c.Null = true
		case pg.ConstrType_CONSTR_DEFAULT:
			c.Default = exprOf(con.GetRawExpr())
		case pg.ConstrType_CONSTR_IDENTITY:
			c.Identity = "BY DEFAULT"
			if con.GetGeneratedWhen() == "a" {
				c.Identity = "ALWAYS"
			}
		case pg.ConstrType_CONSTR_GENERATED:
			c.Generated = exprOf(con.GetRawExpr())
		case pg.ConstrType_CONSTR_CHECK, pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_PRIMARY,
			pg.ConstrType_CONSTR_FOREIGN, pg.ConstrType_CONSTR_EXCLUSION:
			k := constraintOf(con)
			if len(k.Columns) == 0 && k.Kind != ConstraintCheck {
				k.Columns = []string{c.Name}
			}
			c.Constraints = append(c.Constraints, k)
		}
	}
	return c
}

// constraintOf describes a table constraint (or an inline one, whose
// columns the caller fills in).
func constraintOf(con *pg.Constraint) Constraint {
	k := Constraint{
		Name:       con.GetConname(),
		NotValid:   con.GetSkipValidation(),
		UsingIndex: con.GetIndexname(),
	}
	switch con.GetContype() {
	case pg.ConstrType_CONSTR_CHECK:
		k.Kind = ConstraintCheck
		k.Check = exprOf(con.GetRawExpr())
		k.NotNullColumn = notNullColumn(con.GetRawExpr())
	case pg.ConstrType_CONSTR_FOREIGN:
		k.Kind = ConstraintForeignKey
		k.Columns = stringsOf(con.GetFkAttrs())
		k.References = &ForeignKey{
			Table:    qnameOf(con.GetPktable()),
			Columns:  stringsOf(con.GetPkAttrs()),
			OnDelete: fkAction(con.GetFkDelAction()),
			OnUpdate: fkAction(con.GetFkUpdAction()),
		}
	case pg.ConstrType_CONSTR_UNIQUE:
		k.Kind = ConstraintUnique
		k.Columns = stringsOf(con.GetKeys())
		k.Include = stringsOf(con.GetIncluding())
	case pg.ConstrType_CONSTR_PRIMARY:
		k.Kind = ConstraintPrimaryKey
		k.Columns = stringsOf(con.GetKeys())
		k.Include = stringsOf(con.GetIncluding())
	case pg.ConstrType_CONSTR_EXCLUSION:
		k.Kind = ConstraintExclude
		// Each exclusion element is a list (IndexElem, operator).
		for _, ex := range con.GetExclusions() {
			items := ex.GetList().GetItems()
			if len(items) > 0 {
				if name := items[0].GetIndexElem().GetName(); name != "" {
					k.Columns = append(k.Columns, name)
				}
			}
		}
	}
	return k
}

// fkAction names a foreign key action code from parsenodes.h.
func fkAction(code string) string {
	switch code {
	case "c":
		return "CASCADE"
	case "n":
		return "SET NULL"
	case "d":
		return "SET DEFAULT"
	case "r":
		return "RESTRICT"
	}
	return "" // "a": NO ACTION, the default
}

// notNullColumn returns col when the expression is exactly `col IS NOT NULL`.
func notNullColumn(n *pg.Node) string {
	nt := n.GetNullTest()
	if nt == nil || nt.GetNulltesttype() != pg.NullTestType_IS_NOT_NULL {
		return ""
	}
	ref := nt.GetArg().GetColumnRef()
	if ref == nil || len(ref.GetFields()) != 1 {
		return ""
	}
	return ref.GetFields()[0].GetString_().GetSval()
}
