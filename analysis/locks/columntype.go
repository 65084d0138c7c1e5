package locks

import "github.com/lockwise/lockwise/analysis/pgsql"

// typeChange is the verdict on ALTER COLUMN ... TYPE for one column.
type typeChange struct {
	// known is false when the old type is not known: the rewrite then
	// depends on it.
	known bool
	// rewrite is true when PostgreSQL rewrites the table.
	rewrite bool
	// rebuildIndexes is true when, without a rewrite, the indexes on the
	// column are still rebuilt from the table (their operator class
	// changes: timestamp <-> timestamptz), which reads every row.
	rebuildIndexes bool
	// why explains the verdict in one sentence.
	why string
}

// classifyTypeChange decides whether changing a column from old to new
// rewrites the table, following ATColumnChangeRequiresRewrite: no rewrite
// when the new type is the same or binary coercible from the old one and
// the type modifier change needs no check. old.IsZero() means unknown.
func classifyTypeChange(old, new pgsql.TypeName, using *pgsql.Expr, ctx Context) typeChange {
	if using != nil {
		return typeChange{known: true, rewrite: true, why: "ALTER COLUMN TYPE ... USING computes every value again: the table is rewritten"}
	}
	if old.IsZero() || old.Dynamic || new.Dynamic {
		return typeChange{why: "the column's old type is not known: the table is rewritten unless the change is binary coercible " +
			"(same type, varchar widening, varchar -> text, numeric precision increase...)"}
	}
	o, n := old.String(), new.String()
	switch {
	case old.Equal(new):
		return typeChange{known: true, why: "same type (" + n + "): no rewrite, but still ACCESS EXCLUSIVE and the column's indexes are recreated"}
	case old.Array || new.Array:
		// Array coercions go through ArrayCoerceExpr, which always rewrites.
		return typeChange{known: true, rewrite: true, why: o + " -> " + n + " rewrites the table"}
	}
	if ok, why := binaryCoercible(old, new, ctx); ok {
		tc := typeChange{known: true, why: why}
		if isTimestamp(old.Name) && isTimestamp(new.Name) && old.Name != new.Name {
			tc.rebuildIndexes = true
		}
		if (old.Name == "citext") != (new.Name == "citext") {
			// citext's operator classes are not text's: the indexes on
			// the column are built again.
			tc.rebuildIndexes = true
		}
		return tc
	}
	tc := typeChange{known: true, rewrite: true, why: o + " -> " + n + " rewrites the table"}
	if isTimestamp(old.Name) && isTimestamp(new.Name) && old.Name != new.Name {
		switch {
		case ctx.version() < 12:
			tc.why = "PG < 12: timestamp <-> timestamptz always rewrites the table"
		case !ctx.AssumeUTC:
			tc.why = o + " -> " + n + " rewrites the table unless the session TimeZone is UTC (assume_utc is off)"
		}
	}
	return tc
}

// binaryCoercible reports whether PostgreSQL changes old to new without
// touching the rows, with the reason.
func binaryCoercible(old, new pgsql.TypeName, ctx Context) (bool, string) {
	o, n := old.String(), new.String()
	if old.Schema != "" || new.Schema != "" {
		return false, ""
	}
	switch {
	case isVarchar(old) && new.Name == "text":
		return true, o + " -> text is binary coercible: no rewrite"
	case (isVarchar(old) || old.Name == "text") && new.Name == "varchar" && len(new.Mods) == 0:
		return true, o + " -> unbounded varchar is binary coercible: no rewrite"
	case (isVarchar(old) || old.Name == "text") && new.Name == "citext":
		// The citext extension declares CAST (varchar/text AS citext)
		// WITHOUT FUNCTION.
		return true, o + " -> citext is binary coercible (the extension's cast is WITHOUT FUNCTION): no rewrite"
	case old.Name == "citext" && (new.Name == "text" || new.Name == "varchar" && len(new.Mods) == 0):
		return true, "citext -> " + n + " is binary coercible (the extension's cast is WITHOUT FUNCTION): no rewrite"
	case old.Name == "varchar" && new.Name == "varchar" && modAtLeast(old, new, 0):
		return true, o + " -> " + n + " only raises the length limit: no rewrite"
	case old.Name == "varbit" && new.Name == "varbit" && modAtLeast(old, new, 0):
		return true, o + " -> " + n + " only raises the length limit: no rewrite"
	case old.Name == "numeric" && new.Name == "numeric" && numericWidens(old, new):
		return true, o + " -> " + n + " keeps the scale and does not lower the precision: no rewrite"
	case isTimestamp(old.Name) && old.Name == new.Name && modAtLeast(old, new, 0):
		return true, o + " -> " + n + " does not lower the precision: no rewrite"
	case isTimestamp(old.Name) && isTimestamp(new.Name) && modAtLeast(old, new, 0):
		// timestamp <-> timestamptz: the values are the same instants only
		// when the session time zone is UTC (PG >= 12 checks it).
		if ctx.version() >= 12 && ctx.AssumeUTC {
			return true, o + " -> " + n + " with the session TimeZone UTC (assume_utc): no rewrite, but the column's indexes are rebuilt"
		}
	}
	return false, ""
}

// isVarchar reports whether t is varchar with or without a length.
func isVarchar(t pgsql.TypeName) bool { return t.Name == "varchar" }

func isTimestamp(name string) bool { return name == "timestamp" || name == "timestamptz" }

// modAtLeast reports whether new's modifier i allows every value of
// old's: new unconstrained, or both given and new >= old.
func modAtLeast(old, new pgsql.TypeName, i int) bool {
	if len(new.Mods) == 0 {
		return true
	}
	if len(old.Mods) == 0 {
		return false // unconstrained -> constrained needs a check
	}
	o, ok1 := old.IntMod(i)
	n, ok2 := new.IntMod(i)
	return ok1 && ok2 && n >= o
}

// numericWidens reports whether numeric(p,s) -> numeric(p2,s2) needs no
// rewrite: unconstrained target, or same scale and p2 >= p.
func numericWidens(old, new pgsql.TypeName) bool {
	if len(new.Mods) == 0 {
		return true
	}
	if len(old.Mods) == 0 {
		return false
	}
	oldScale, newScale := 0, 0
	if len(old.Mods) > 1 {
		oldScale, _ = old.IntMod(1)
	}
	if len(new.Mods) > 1 {
		newScale, _ = new.IntMod(1)
	}
	return oldScale == newScale && modAtLeast(old, new, 0)
}
