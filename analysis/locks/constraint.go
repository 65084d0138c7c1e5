package locks

import (
	"strings"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// addConstraint models ADD CONSTRAINT.
func (b *builder) addConstraint(at *pgsql.AlterTable, k *pgsql.Constraint) {
	t := b.table
	if k.NotValid && k.Kind != pgsql.ConstraintCheck && k.Kind != pgsql.ConstraintForeignKey {
		// The grammar refuses it before anything runs; Parse normally
		// reports it already.
		b.fail("0A000", strings.ToUpper(string(k.Kind))+" constraints cannot be marked NOT VALID", "")
		return
	}
	state := &constraintState{kind: k.Kind, notNullColumn: k.NotNullColumn, notValidInTx: k.NotValid && b.s.inTx}
	switch k.Kind {
	case pgsql.ConstraintForeignKey:
		b.lockTable(ShareRowExclusive)
		b.referenceLock(k.References.Table, ShareRowExclusive)
		state.references = k.References.Table
		if k.NotValid {
			b.note("NOT VALID: existing rows are not checked; VALIDATE CONSTRAINT later takes only SHARE UPDATE EXCLUSIVE")
		} else {
			b.foreignKeyScan(k.References.Table)
			if addsColumn(at, k.Columns) {
				b.note("the new column is all NULL, but PostgreSQL still runs the validation query over every row: use validate: false / NOT VALID")
			}
		}
	case pgsql.ConstraintCheck:
		b.lockTable(AccessExclusive)
		if k.NotValid {
			b.note("NOT VALID: existing rows are not checked; VALIDATE CONSTRAINT later takes only SHARE UPDATE EXCLUSIVE")
		} else {
			b.scan("checks every row against the CHECK constraint")
			if k.NotNullColumn != "" {
				col := k.NotNullColumn
				b.after(func() { b.s.notNullChecks[key(t.Schema, t.Name, col)] = true })
			}
		}
	case pgsql.ConstraintUnique, pgsql.ConstraintPrimaryKey, pgsql.ConstraintExclude:
		b.lockTable(AccessExclusive)
		b.indexConstraint(k)
		if k.Kind == pgsql.ConstraintPrimaryKey && k.UsingIndex == "" {
			for _, col := range k.Columns {
				if addsColumnWithoutValue(at, col) {
					// PRIMARY KEY sets NOT NULL: a column this ALTER adds
					// without a default is NULL in every existing row.
					b.fail("23502", `column "`+col+`" of relation "`+t.Name+`" contains null values`, condTableHasRows)
				}
			}
		}
	}
	if k.Name != "" {
		b.after(func() { b.s.constraints[key(t.Schema, t.Name, k.Name)] = state })
	}
}

// addsColumn reports whether the ALTER TABLE also adds one of columns.
func addsColumn(at *pgsql.AlterTable, columns []string) bool {
	for _, c := range at.Cmds {
		if c.Kind != pgsql.AlterAddColumn {
			continue
		}
		for _, col := range columns {
			if c.Column == col {
				return true
			}
		}
	}
	return false
}

// addsColumnWithoutValue reports whether the ALTER TABLE adds column with
// nothing to fill the existing rows (no default, not serial, identity or
// generated).
func addsColumnWithoutValue(at *pgsql.AlterTable, column string) bool {
	for _, c := range at.Cmds {
		if c.Kind != pgsql.AlterAddColumn || c.Def == nil || c.Def.Name != column {
			continue
		}
		d := c.Def
		return (d.Default == nil || d.Default.Null) && !d.Type.IsSerial() && d.Identity == "" && d.Generated == nil
	}
	return false
}

// indexConstraint models UNIQUE, PRIMARY KEY and EXCLUDE constraints,
// which build an index under the ACCESS EXCLUSIVE lock, or adopt an
// existing one (USING INDEX).
func (b *builder) indexConstraint(k *pgsql.Constraint) {
	t := b.table
	if k.UsingIndex != "" {
		// The index is renamed to the constraint's name; like every object
		// a statement renames, the lock goes by its old name.
		b.lock(pgsql.QName{Schema: t.Schema, Name: k.UsingIndex}, KindIndex, ShareUpdateExclusive, false)
		b.note("USING INDEX adopts an index built beforehand (CREATE UNIQUE INDEX CONCURRENTLY): no index build")
		if k.Kind == pgsql.ConstraintPrimaryKey {
			b.note("PRIMARY KEY also sets NOT NULL on its columns: a verification scan when one of them is nullable")
		}
		return
	}
	b.lock(pgsql.QName{Schema: t.Schema, Name: constraintIndexName(t.Name, k)}, KindIndex, AccessExclusive, true)
	b.scan("builds the index")
	switch k.Kind {
	case pgsql.ConstraintPrimaryKey:
		b.note("PRIMARY KEY also sets NOT NULL on its columns: an extra verification scan when one of them is nullable")
		b.note("build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX")
	case pgsql.ConstraintUnique:
		b.note("build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX")
	case pgsql.ConstraintExclude:
		b.note("an EXCLUDE constraint has no online path: it cannot be NOT VALID nor use an existing index")
	}
}

// knownConstraint finds what is known of a constraint of the main table:
// added earlier in this migration, or a foreign key named in the hints or
// known to the Schema, or one the same statement adds again (Ecto's modify ... from:
// references drops and re-adds it).
func (b *builder) knownConstraint(name string, at *pgsql.AlterTable) *constraintState {
	t := b.table
	if c, ok := b.s.constraints[key(t.Schema, t.Name, name)]; ok {
		return c
	}
	if ref, ok := b.hints.ForeignKeys[name]; ok {
		return &constraintState{kind: pgsql.ConstraintForeignKey, references: ref}
	}
	if sc := b.s.ctx.Schema; sc != nil && !t.Dynamic {
		if ref, ok := sc.ForeignKeyTarget(t.Schema, t.Name, name); ok {
			return &constraintState{kind: pgsql.ConstraintForeignKey, references: splitName(ref)}
		}
	}
	if at != nil {
		for _, c := range at.Cmds {
			if c.Kind == pgsql.AlterAddConstraint && c.Constraint.Name == name && c.Constraint.References != nil {
				return &constraintState{kind: pgsql.ConstraintForeignKey, references: c.Constraint.References.Table}
			}
		}
	}
	return nil
}

// validateConstraint models VALIDATE CONSTRAINT.
func (b *builder) validateConstraint(name string) {
	b.lockTable(ShareUpdateExclusive)
	c := b.knownConstraint(name, nil)
	switch {
	case c != nil && c.kind == pgsql.ConstraintForeignKey:
		b.lock(c.references, KindTable, RowShare, false)
		b.foreignKeyScan(c.references)
	case c != nil:
		b.scan("checks every row against the constraint")
	default:
		b.scan("checks every row against the constraint")
		if strings.HasSuffix(name, "_fkey") {
			b.note("if %s is a foreign key, the referenced table is locked ROW SHARE and its key index read", name)
		}
	}
	if c != nil && c.notValidInTx {
		b.f.ValidateSameTx = true
		b.note("%s was added NOT VALID earlier in this transaction: the lock the ADD took is still held during this scan; validate in a later migration", name)
	}
	if c != nil && c.notNullColumn != "" {
		t, col := b.table, c.notNullColumn
		b.after(func() { b.s.notNullChecks[key(t.Schema, t.Name, col)] = true })
	}
}

// dropConstraint models DROP CONSTRAINT.
func (b *builder) dropConstraint(at *pgsql.AlterTable, c *pgsql.AlterCmd) {
	b.lockTable(AccessExclusive)
	k := b.knownConstraint(c.Name, at)
	switch {
	case k != nil && k.kind == pgsql.ConstraintForeignKey:
		// Dropping a foreign key removes the triggers it has on the
		// referenced table, under ACCESS EXCLUSIVE there too.
		b.lock(k.references, KindTable, AccessExclusive, false)
	case k == nil && strings.HasSuffix(c.Name, "_fkey"):
		b.note("if %s is a foreign key, the referenced table is locked ACCESS EXCLUSIVE too", c.Name)
	}
	if c.Cascade {
		b.note("CASCADE also drops the objects that depend on the constraint")
	}
	t := b.table
	b.after(func() { delete(b.s.constraints, key(t.Schema, t.Name, c.Name)) })
}
