package workspace

import (
	"strings"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// apply replays one statement of the migration at the state's position;
// cols locates the sub-commands of its columns (see effect).
func (s *State) apply(st pgsql.Stmt, o Origin, cols map[string]Origin) {
	if st.Err != nil {
		s.addUnknown(o)
		return
	}
	switch d := st.Desc.(type) {
	case *pgsql.CreateTable:
		s.createTable(d, st.Dynamic, o, cols)
	case *pgsql.AlterTable:
		s.alterTable(d, o, cols)
	case *pgsql.CreateIndex:
		s.createIndex(d, o)
	case *pgsql.Drop:
		s.drop(d)
	case *pgsql.Rename:
		s.rename(d)
	case *pgsql.CreateType:
		if d.As == "enum" && !d.Type.Dynamic {
			s.setEnum(qkey(d.Type), &Enum{Schema: d.Type.Schema, Name: d.Type.Name, Values: append([]string(nil), d.Values...), Origin: o})
		}
	case *pgsql.AlterEnum:
		if e := s.mutEnum(qkey(d.Type)); e != nil {
			if d.OldValue != "" {
				for i, v := range e.Values {
					if v == d.OldValue {
						e.Values[i] = d.Value
					}
				}
			} else if !contains(e.Values, d.Value) {
				e.Values = append(e.Values, d.Value)
			}
		}
	case *pgsql.Do, *pgsql.Other:
		// A DO block or an unmodelled statement may change anything.
		s.addUnknown(o)
	default:
		if st.Dynamic {
			s.addUnknown(o)
		}
	}
}

func (s *State) createTable(d *pgsql.CreateTable, dynamic bool, o Origin, cols map[string]Origin) {
	if d.Table.Dynamic || d.Temporary {
		if d.Table.Dynamic {
			s.addUnknown(o)
		}
		return
	}
	k := qkey(d.Table)
	if d.IfNotExists && s.getTable(k) != nil {
		return
	}
	t := &Table{Schema: d.Table.Schema, Name: d.Table.Name, Origin: o, Partial: dynamic || d.AsQuery || len(d.Like) > 0, seq: s.pos}
	s.setTable(k, t)
	for i := range d.Columns {
		s.addColumn(t, &d.Columns[i], colOrigin(o, cols, d.Columns[i].Name))
	}
	for i := range d.Constraints {
		s.addConstraint(t, &d.Constraints[i], o)
	}
}

// addColumn adds a column to t, a table version writable at this position.
func (s *State) addColumn(t *Table, c *pgsql.Column, o Origin) {
	if c.Dynamic {
		t.Partial = true
		return
	}
	col := &Column{Name: c.Name, Type: typeString(c.Type), NotNull: c.NotNull || c.Type.IsSerial(), Origin: o, ver: s.pos}
	if c.Default != nil && !c.Default.Null {
		col.HasDefault, col.Default = true, c.Default.Text
	}
	if c.Type.IsSerial() {
		col.HasDefault, col.Default = true, "nextval(...)"
	}
	if c.Identity != "" {
		col.HasDefault, col.Default = true, "identity"
	}
	replaced := false
	for i, old := range t.Columns {
		if old.Name == c.Name {
			t.Columns[i], replaced = col, true
		}
	}
	if !replaced {
		t.Columns = append(t.Columns, col)
	}
	for i := range c.Constraints {
		con := c.Constraints[i]
		if len(con.Columns) == 0 {
			con.Columns = []string{c.Name}
		}
		s.addConstraint(t, &con, o)
	}
}

// addConstraint adds a constraint to t (writable at this position).
func (s *State) addConstraint(t *Table, c *pgsql.Constraint, o Origin) {
	name := c.Name
	switch c.Kind {
	case pgsql.ConstraintPrimaryKey:
		if name == "" {
			name = t.Name + "_pkey"
		}
		for _, col := range c.Columns {
			if cc := s.ownColumn(t, col); cc != nil {
				cc.NotNull = true
			}
		}
	case pgsql.ConstraintUnique:
		if name == "" {
			name = defaultIndexName(t.Name, c.Columns, "key")
		}
	case pgsql.ConstraintForeignKey:
		if name == "" && len(c.Columns) > 0 {
			name = defaultIndexName(t.Name, c.Columns[:1], "fkey")
		}
	case pgsql.ConstraintCheck:
		if name == "" {
			if c.NotNullColumn == "" {
				name = t.Name + "_check"
			} else {
				name = t.Name + "_" + c.NotNullColumn + "_check"
			}
		}
	}
	con := &Constraint{Name: name, Kind: c.Kind, Validated: !c.NotValid, NotNullColumn: c.NotNullColumn, Columns: append([]string(nil), c.Columns...), Origin: o, ver: s.pos}
	if c.References != nil {
		con.References = qkey(c.References.Table)
	}
	t.removeConstraint(name)
	t.Constraints = append(t.Constraints, con)
	// Unique and primary key constraints own an index of the same name.
	tk := key(t.Schema, t.Name)
	if (c.Kind == pgsql.ConstraintUnique || c.Kind == pgsql.ConstraintPrimaryKey) && c.UsingIndex == "" {
		s.putIndex(key(t.Schema, name), &Index{Name: name, Table: tk, Columns: append([]string(nil), con.Columns...), Unique: true, Origin: o})
	}
	if c.UsingIndex != "" {
		if ix := s.getIndex(key(t.Schema, c.UsingIndex)); ix != nil {
			s.dropIndex(key(t.Schema, c.UsingIndex))
			n := *ix
			n.Name = name
			s.putIndex(key(t.Schema, name), &n)
		}
	}
}

func (t *Table) removeConstraint(name string) *Constraint {
	for i, c := range t.Constraints {
		if c.Name == name {
			t.Constraints = append(t.Constraints[:i], t.Constraints[i+1:]...)
			return c
		}
	}
	return nil
}

// colOrigin is where a column's sub-command is, else the whole command.
func colOrigin(o Origin, cols map[string]Origin, name string) Origin {
	if co, ok := cols[name]; ok {
		return co
	}
	return o
}

func (s *State) alterTable(d *pgsql.AlterTable, o Origin, cols map[string]Origin) {
	if d.Object != pgsql.ObjectTable && d.Object != "" {
		return
	}
	t := s.mutTable(qkey(d.Table))
	if t == nil {
		if d.Table.Dynamic {
			s.addUnknown(o)
		}
		return
	}
	for i := range d.Cmds {
		c := &d.Cmds[i]
		var col *Column
		switch c.Kind {
		case pgsql.AlterColumnType, pgsql.AlterSetNotNull, pgsql.AlterDropNotNull, pgsql.AlterSetDefault, pgsql.AlterDropDefault:
			col = s.ownColumn(t, c.Column) // these change it
		}
		switch c.Kind {
		case pgsql.AlterAddColumn:
			if c.Def != nil && !(c.IfNotExists && t.Column(c.Def.Name) != nil) {
				s.addColumn(t, c.Def, colOrigin(o, cols, c.Def.Name))
			}
		case pgsql.AlterDropColumn:
			s.dropColumn(t, c.Column)
		case pgsql.AlterColumnType:
			if col != nil {
				col.Type = typeString(c.Type)
			} else {
				t.Partial = true
			}
		case pgsql.AlterSetNotNull:
			if col != nil {
				col.NotNull = true
			}
		case pgsql.AlterDropNotNull:
			if col != nil {
				col.NotNull = false
			}
		case pgsql.AlterSetDefault:
			if col != nil && c.Default != nil {
				col.HasDefault = !c.Default.Null
				col.Default = c.Default.Text
				if c.Default.Null {
					col.Default = ""
				}
			}
		case pgsql.AlterDropDefault:
			if col != nil {
				col.HasDefault, col.Default = false, ""
			}
		case pgsql.AlterAddConstraint:
			if c.Constraint != nil {
				s.addConstraint(t, c.Constraint, o)
			}
		case pgsql.AlterValidateConstraint:
			for i, con := range t.Constraints {
				if con.Name == c.Name {
					s.ownConstraint(t, i).Validated = true
				}
			}
		case pgsql.AlterDropConstraint:
			if con := t.removeConstraint(c.Name); con != nil && (con.Kind == pgsql.ConstraintUnique || con.Kind == pgsql.ConstraintPrimaryKey) {
				s.dropIndex(key(t.Schema, c.Name))
			}
		case pgsql.AlterOther:
			t.Partial = true
		}
	}
}

// dropColumn removes a column and what PostgreSQL drops with it: indexes
// and constraints on it.
func (s *State) dropColumn(t *Table, name string) {
	for i, c := range t.Columns {
		if c.Name == name {
			t.Columns = append(t.Columns[:i], t.Columns[i+1:]...)
			break
		}
	}
	kept := t.Constraints[:0]
	for _, c := range t.Constraints {
		if !contains(c.Columns, name) && c.NotNullColumn != name {
			kept = append(kept, c)
		}
	}
	t.Constraints = kept
	for _, k := range s.indexKeys(key(t.Schema, t.Name)) {
		if contains(s.getIndex(k).Columns, name) {
			s.dropIndex(k)
		}
	}
}

func (s *State) createIndex(d *pgsql.CreateIndex, o Origin) {
	if d.Table.Dynamic {
		s.addUnknown(o)
		return
	}
	var cols []string
	for _, e := range d.Columns {
		if e.Column != "" {
			cols = append(cols, e.Column)
		} else if e.Expr != nil {
			cols = append(cols, e.Expr.Text)
		}
	}
	name := d.Name
	if name == "" {
		name = defaultIndexName(d.Table.Name, plainColumns(cols), "idx")
	}
	k := key(d.Table.Schema, name)
	if d.IfNotExists && s.getIndex(k) != nil {
		return
	}
	tk := qkey(d.Table)
	if t := s.getTable(tk); t != nil {
		tk = key(t.Schema, t.Name)
	}
	s.putIndex(k, &Index{Name: name, Table: tk, Columns: cols, Unique: d.Unique, Origin: o})
}

func plainColumns(cols []string) []string {
	var out []string
	for _, c := range cols {
		if !strings.ContainsAny(c, "() ") {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return []string{"expr"}
	}
	return out
}

func (s *State) drop(d *pgsql.Drop) {
	for _, n := range d.Names {
		k := qkey(n)
		switch d.Object {
		case pgsql.ObjectTable:
			if s.getTable(k) != nil {
				for _, ik := range s.indexKeys(k) {
					s.dropIndex(ik)
				}
				s.delTable(k)
			}
		case pgsql.ObjectIndex:
			s.dropIndex(k)
		case pgsql.ObjectType:
			if s.getEnum(k) != nil {
				s.setEnum(k, nil)
			}
		}
	}
}

func (s *State) rename(d *pgsql.Rename) {
	if d.Target.Dynamic {
		return
	}
	k := qkey(d.Target)
	switch d.Object {
	case pgsql.ObjectTable:
		old := s.getTable(k)
		if old == nil {
			return
		}
		t := old.clone()
		t.Name = d.New
		nk := key(t.Schema, t.Name)
		s.delTable(k)
		s.setTable(nk, t)
		for _, ik := range s.indexKeys(k) {
			ix := s.mutIndex(ik)
			ix.Table = nk
			s.putIndex(ik, ix)
		}
		for _, other := range s.tables() {
			for _, c := range other.Constraints {
				if c.References == k {
					mt := s.mutTable(key(other.Schema, other.Name))
					for i, cc := range mt.Constraints {
						if cc.References == k {
							s.ownConstraint(mt, i).References = nk
						}
					}
					break
				}
			}
		}
	case pgsql.ObjectColumn:
		t := s.mutTable(k)
		if t == nil {
			return
		}
		if c := s.ownColumn(t, d.Old); c != nil {
			c.Name = d.New
		}
		for ci, con := range t.Constraints {
			if !contains(con.Columns, d.Old) && con.NotNullColumn != d.Old {
				continue
			}
			con = s.ownConstraint(t, ci)
			for i, c := range con.Columns {
				if c == d.Old {
					con.Columns[i] = d.New
				}
			}
			if con.NotNullColumn == d.Old {
				con.NotNullColumn = d.New
			}
		}
		for _, ik := range s.indexKeys(k) {
			if !contains(s.getIndex(ik).Columns, d.Old) {
				continue
			}
			ix := s.mutIndex(ik)
			for i, c := range ix.Columns {
				if c == d.Old {
					ix.Columns[i] = d.New
				}
			}
		}
	case pgsql.ObjectIndex:
		if ix := s.getIndex(k); ix != nil {
			s.dropIndex(k)
			n := *ix
			n.Name = d.New
			s.putIndex(key(d.Target.Schema, d.New), &n)
		}
	case pgsql.ObjectConstraint:
		if t := s.mutTable(k); t != nil {
			for i, c := range t.Constraints {
				if c.Name == d.Old {
					s.ownConstraint(t, i).Name = d.New
				}
			}
		}
	case pgsql.ObjectType:
		if e := s.getEnum(k); e != nil {
			n := *e
			n.Values = append([]string(nil), e.Values...)
			n.Name = d.New
			s.setEnum(k, nil)
			s.setEnum(key(e.Schema, n.Name), &n)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
