package workspace

import (
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// Use is one statement of a migration that names a table (or one of its
// columns): what "find references" lists.
type Use struct {
	Origin
	// What the statement does, in SQL words ("create table", "alter
	// table", "create index", "update", "references"...).
	What string
	// Creates is set for the statement that created the table (or added
	// the column): the declaration.
	Creates bool
}

// Uses lists, in replay order, the statements of the repo's migrations
// that name the table schema.table ("" schema = public), or, when column
// is not "", that name that column of the table. Names are matched as
// written at each statement: a renamed table is found under its old name
// before the rename and under the new one after (the rename itself under
// both). Statements built at run time are not searched.
func (r *Repo) Uses(schema, table, column string) []Use {
	r.mu.Lock()
	migs := append([]*migration(nil), r.migs...) // migrations are immutable once built
	r.mu.Unlock()
	want := key(schema, table)
	var out []Use
	for _, m := range migs {
		for _, e := range m.effects {
			if e.stmt.Err != nil || e.stmt.Desc == nil {
				continue
			}
			for _, u := range effectUses(e, want, column) {
				if n := len(out); n > 0 && out[n-1].Origin == u.Origin {
					continue // one command, several statements (a table and its comments)
				}
				out = append(out, u)
			}
		}
	}
	return out
}

// effectUses lists the uses of the table with key want (and column) in
// one statement.
func effectUses(e effect, want, column string) []Use {
	var out []Use
	use := func(what string, creates bool) {
		out = append(out, Use{Origin: e.origin, What: what, Creates: creates})
	}
	colUse := func(name, what string, creates bool) {
		if name == column {
			out = append(out, Use{Origin: colOrigin(e.origin, e.cols, name), What: what, Creates: creates})
		}
	}
	is := func(q pgsql.QName) bool { return !q.Dynamic && qkey(q) == want }
	refs := func(cs []pgsql.Constraint) bool {
		for _, c := range cs {
			if c.References != nil && is(c.References.Table) {
				return true
			}
		}
		return false
	}
	switch d := e.stmt.Desc.(type) {
	case *pgsql.CreateTable:
		switch {
		case is(d.Table) && column == "":
			use("create table", true)
		case is(d.Table):
			for _, c := range d.Columns {
				colUse(c.Name, "add column", true)
			}
		case column == "" && refs(d.Constraints):
			use("references", false)
		case column == "":
			for _, c := range d.Columns {
				if refs(c.Constraints) {
					use("references", false)
					break
				}
			}
		}
	case *pgsql.AlterTable:
		if d.Object != pgsql.ObjectTable && d.Object != "" {
			break
		}
		if is(d.Table) {
			if column == "" {
				use("alter table", false)
				break
			}
			for _, c := range d.Cmds {
				switch {
				case c.Def != nil:
					colUse(c.Def.Name, string(c.Kind), c.Kind == pgsql.AlterAddColumn)
				case c.Column != "":
					colUse(c.Column, string(c.Kind), false)
				}
			}
			break
		}
		if column != "" {
			break
		}
		for _, c := range d.Cmds {
			if c.Constraint != nil && c.Constraint.References != nil && is(c.Constraint.References.Table) ||
				c.Def != nil && refs(c.Def.Constraints) {
				use("references", false)
				break
			}
		}
	case *pgsql.CreateIndex:
		if !is(d.Table) {
			break
		}
		if column == "" {
			use("create index", false)
			break
		}
		for _, c := range d.Columns {
			if c.Column == column {
				use("create index", false)
				break
			}
		}
	case *pgsql.Drop:
		if column != "" {
			break
		}
		if is(d.Table) {
			use("drop "+string(d.Object), false)
			break
		}
		if d.Object == pgsql.ObjectTable {
			for _, n := range d.Names {
				if is(n) {
					use("drop table", false)
					break
				}
			}
		}
	case *pgsql.Rename:
		switch d.Object {
		case pgsql.ObjectTable:
			renamed := !d.Target.Dynamic && key(d.Target.Schema, d.New) == want
			if column == "" && (is(d.Target) || renamed) {
				use("rename table", false)
			}
		case pgsql.ObjectColumn:
			if is(d.Target) && (column == "" || d.Old == column || d.New == column) {
				use("rename column", false)
			}
		default:
			if is(d.Target) && column == "" {
				use("rename "+string(d.Object), false)
			}
		}
	case *pgsql.Comment:
		if is(d.Target) && (column == "" || d.Object == pgsql.ObjectColumn && d.Sub == column) {
			use("comment on "+string(d.Object), false)
		}
	case *pgsql.DML:
		if column == "" && is(d.Table) {
			use(string(d.Kind()), false)
		}
	case *pgsql.Truncate:
		for _, t := range d.Tables {
			if column == "" && is(t) {
				use("truncate", false)
				break
			}
		}
	case *pgsql.CreateTrigger:
		if column == "" && is(d.Table) {
			use("create trigger", false)
		}
	}
	return out
}
