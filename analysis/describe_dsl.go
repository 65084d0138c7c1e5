package analysis

import (
	"strings"
	"unicode/utf8"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// Describing lowered SQL without parsing it.
//
// The SQL lower renders for a DSL command has a handful of shapes, built
// from names, Ecto types and option values that the command holds. Parsing
// that SQL again with pg_query (C parse, protobuf both ways, describe) is
// the largest cost of a check, while the command already says everything
// the description holds. describeDSL builds the description pgsql.Parse
// would give straight from the command; pgsql describes the few pieces that
// are free SQL text (types, fragments and other default expressions, check
// and exclude clauses, index predicates and expression keys), each parsed
// once per distinct text.
//
// Two rules keep it exact:
//   - the builder renders the SQL again as it describes it, with lower's
//     own helpers, and its text must equal the query's: a command changed
//     after lowering, or a lowering the builder does not follow, is parsed;
//   - anything the builder cannot vouch for is parsed: names the parser
//     would truncate or could not read back from their quotes, values that
//     are not known statically (placeholders lower asks for), table and
//     index options, text with comments, NUL bytes or invalid UTF-8, and
//     every shape it does not know.
//
// describe_dsl_test.go compares both ways over every fixture and a
// generated set of options; the corpus test does so over real migrations.

// dslOrigin is what lower made a query from.
type dslOrigin struct {
	op  *Op
	cfg *RepoConfig
}

// describeDirectly can be turned off (tests, benchmarks) to parse every
// query.
var describeDirectly = true

// noHole stands for a value that is not known statically. The SQL lower
// gave the query holds a fresh placeholder there, which the builder cannot
// know: a NUL byte never matches it, so the query is parsed.
func noHole(Value) string { return "\x00" }

// describeDSL returns the statement pgsql.Parse(q.SQL) gives, built from
// the command q was lowered from; ok is false when q must be parsed.
func describeDSL(q *Query) (pgsql.Stmt, bool) {
	o := q.dsl
	if o == nil || o.op == nil || !describeDirectly || !plainSQL(q.SQL) {
		return pgsql.Stmt{}, false
	}
	idx := -1
	for i, x := range o.op.Queries {
		if x == q {
			idx = i
			break
		}
	}
	if idx < 0 {
		return pgsql.Stmt{}, false
	}
	b := &dslBuilder{l: lowerer{cfg: o.cfg, hole: noHole}}
	b.sql.Grow(len(q.SQL))
	desc := b.describe(o.op, idx, q.Sub)
	if desc == nil || b.bad || len(b.l.problems) > 0 || b.sql.String() != q.SQL {
		return pgsql.Stmt{}, false
	}
	start, end := trimSQLSpace(q.SQL)
	text := q.SQL[start:end]
	return pgsql.Stmt{Start: start, End: end, Text: text, Desc: desc, Dynamic: pgsql.IsDynamic(text), Literals: b.lits}, true
}

// plainSQL reports whether sql has nothing that makes the parser's reading
// depend on more than its tokens: a comment (which also changes how Parse
// trims the statement), a NUL byte (which Parse replaces), invalid UTF-8.
func plainSQL(sql string) bool {
	return !strings.Contains(sql, "--") && !strings.Contains(sql, "/*") &&
		strings.IndexByte(sql, 0) < 0 && utf8.ValidString(sql)
}

// trimSQLSpace returns the bounds of sql without surrounding white space,
// as pgsql.Parse trims a statement without comments.
func trimSQLSpace(sql string) (int, int) {
	const space = " \t\r\n\f\v"
	start := len(sql) - len(strings.TrimLeft(sql, space))
	end := len(strings.TrimRight(sql, space))
	if end < start {
		end = start
	}
	return start, end
}

// dslBuilder renders and describes one query. A piece it cannot describe
// sets bad; the query is then parsed.
type dslBuilder struct {
	l    lowerer
	sql  strings.Builder
	lits []pgsql.Literal
	bad  bool
}

func (b *dslBuilder) write(s string) { b.sql.WriteString(s) }

// ident is the name the parser reads from s written between double
// quotes, as lower writes names. It fails for names the parser would not
// read back: empty, or holding a '"' (lower does not double them).
func (b *dslBuilder) ident(s string) string {
	if s == "" || strings.IndexByte(s, '"') >= 0 {
		b.bad = true
	}
	return truncateIdent(s)
}

// truncateIdent cuts a name as PostgreSQL's lexer does: to at most
// NAMEDATALEN-1 = 63 bytes, without splitting a character.
func truncateIdent(s string) string {
	const maxLen = 63
	if len(s) <= maxLen {
		return s
	}
	n := maxLen
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// qname is the QName of quoteQualified(prefix, name).
func (b *dslBuilder) qname(prefix, name string) pgsql.QName {
	if prefix != "" {
		prefix = b.ident(prefix)
	}
	name = b.ident(name)
	return pgsql.QName{Schema: prefix, Name: name, Dynamic: pgsql.IsDynamic(prefix) || pgsql.IsDynamic(name)}
}

// describe dispatches on the command and on which of its queries this is
// (lower's order: the command's statement first, then its comments; a
// column's comment has the index of its sub-command in Sub).
func (b *dslBuilder) describe(op *Op, idx, sub int) pgsql.Description {
	switch op.Kind {
	case OpCreateTable, OpCreateTableIfNotExists:
		t := op.TableSpec
		switch {
		case t == nil:
			return nil
		case idx == 0:
			return b.createTable(op)
		case sub >= 0:
			return b.columnComment(t.Ref, op.Subs, sub)
		case t.Comment != nil:
			return b.tableComment(t.Ref, t.Comment.S)
		}
	case OpAlterTable:
		switch {
		case op.Table == nil:
			return nil
		case idx == 0:
			return b.alterTable(op)
		case sub >= 0:
			return b.columnComment(*op.Table, op.Subs, sub)
		case op.TableSpec != nil && op.TableSpec.Comment != nil:
			return b.tableComment(*op.Table, op.TableSpec.Comment.S)
		}
	case OpDropTable, OpDropTableIfExists:
		if op.Table == nil {
			return nil
		}
		d := &pgsql.Drop{Object: pgsql.ObjectTable, IfExists: op.Kind == OpDropTableIfExists, Cascade: op.Mode == "cascade"}
		b.write("DROP TABLE ")
		if d.IfExists {
			b.write("IF EXISTS ")
		}
		b.write(quoteQualified(op.Table.Prefix, op.Table.Name) + dropMode(op.Mode))
		d.Names = []pgsql.QName{b.qname(op.Table.Prefix, op.Table.Name)}
		return d
	case OpCreateIndex, OpCreateIndexIfNotExists:
		switch {
		case op.Index == nil:
			return nil
		case idx == 0:
			return b.createIndex(op)
		case op.Index.Comment != nil:
			ix := op.Index
			b.write("COMMENT ON INDEX " + quoteQualified(ix.Table.Prefix, ix.Name) + " IS " + singleQuote(*ix.Comment))
			return &pgsql.Comment{Object: pgsql.ObjectIndex, Target: b.qname(ix.Table.Prefix, ix.Name)}
		}
	case OpDropIndex, OpDropIndexIfExists:
		ix := op.Index
		if ix == nil {
			return nil
		}
		d := &pgsql.Drop{Object: pgsql.ObjectIndex, IfExists: op.Kind == OpDropIndexIfExists, Cascade: op.Mode == "cascade",
			Concurrently: ix.Concurrently}
		b.write("DROP INDEX ")
		if d.Concurrently {
			b.write("CONCURRENTLY ")
		}
		if d.IfExists {
			b.write("IF EXISTS ")
		}
		b.write(quoteQualified(ix.Table.Prefix, ix.Name) + dropMode(op.Mode))
		d.Names = []pgsql.QName{b.qname(ix.Table.Prefix, ix.Name)}
		return d
	case OpRenameIndex:
		ix := op.Index
		if ix == nil {
			return nil
		}
		b.write("ALTER INDEX " + quoteQualified(ix.Table.Prefix, ix.Name) + " RENAME TO " + quoteName(op.NewName))
		return &pgsql.Rename{Object: pgsql.ObjectIndex, Target: b.qname(ix.Table.Prefix, ix.Name), New: b.ident(op.NewName)}
	case OpRenameTable:
		if op.Table == nil || op.NewTable == nil {
			return nil
		}
		b.write("ALTER TABLE " + quoteQualified(op.Table.Prefix, op.Table.Name) + " RENAME TO " + quoteName(op.NewTable.Name))
		return &pgsql.Rename{Object: pgsql.ObjectTable, Target: b.qname(op.Table.Prefix, op.Table.Name), New: b.ident(op.NewTable.Name)}
	case OpRenameColumn:
		if op.Table == nil {
			return nil
		}
		b.write("ALTER TABLE " + quoteQualified(op.Table.Prefix, op.Table.Name) + " RENAME " + quoteName(op.OldColumn) +
			" TO " + quoteName(op.NewColumn))
		return &pgsql.Rename{Object: pgsql.ObjectColumn, Target: b.qname(op.Table.Prefix, op.Table.Name),
			Old: b.ident(op.OldColumn), New: b.ident(op.NewColumn)}
	case OpCreateConstraint:
		c := op.Constraint
		switch {
		case c == nil:
			return nil
		case idx == 0:
			return b.createConstraint(c)
		case c.Comment != nil:
			b.write("COMMENT ON CONSTRAINT " + quoteName(c.Name) + " ON " + quoteQualified(c.Table.Prefix, c.Table.Name) +
				" IS " + singleQuote(*c.Comment))
			return &pgsql.Comment{Object: pgsql.ObjectConstraint, Target: b.qname(c.Table.Prefix, c.Table.Name), Sub: b.ident(c.Name)}
		}
	case OpDropConstraint, OpDropConstraintIfExists:
		c := op.Constraint
		if c == nil {
			return nil
		}
		cmd := pgsql.AlterCmd{Kind: pgsql.AlterDropConstraint, Name: b.ident(c.Name), IfExists: op.Kind == OpDropConstraintIfExists,
			Cascade: op.Mode == "cascade", Subtype: "AT_DropConstraint"}
		b.write("ALTER TABLE " + quoteQualified(c.Table.Prefix, c.Table.Name) + " DROP CONSTRAINT ")
		if cmd.IfExists {
			b.write("IF EXISTS ")
		}
		b.write(quoteName(c.Name) + dropMode(op.Mode))
		return &pgsql.AlterTable{Table: b.qname(c.Table.Prefix, c.Table.Name), Object: pgsql.ObjectTable, Cmds: []pgsql.AlterCmd{cmd}}
	}
	return nil
}

func (b *dslBuilder) createTable(op *Op) pgsql.Description {
	t := op.TableSpec
	if t.Options != nil {
		// table(options: ...) is SQL of the user's, appended as is.
		return nil
	}
	ct := &pgsql.CreateTable{Table: b.qname(t.Ref.Prefix, t.Ref.Name), IfNotExists: op.Kind == OpCreateTableIfNotExists}
	b.write("CREATE TABLE ")
	if ct.IfNotExists {
		b.write("IF NOT EXISTS ")
	}
	b.write(quoteQualified(t.Ref.Prefix, t.Ref.Name) + " (")
	for i, s := range op.Subs {
		if i > 0 {
			b.write(", ")
		}
		ct.Columns = append(ct.Columns, b.column(s))
		if ref := s.Ref(); ref != nil {
			b.write(", ")
			ct.Constraints = append(ct.Constraints, b.reference(ref, t.Ref, s.Column))
		}
	}
	if pk := b.primaryKey(op.Subs, ", "); pk != nil {
		ct.Constraints = append(ct.Constraints, *pk)
	}
	b.write(")")
	return ct
}

func (b *dslBuilder) alterTable(op *Op) pgsql.Description {
	table := *op.Table
	at := &pgsql.AlterTable{Table: b.qname(table.Prefix, table.Name), Object: pgsql.ObjectTable}
	b.write("ALTER TABLE " + quoteQualified(table.Prefix, table.Name) + " ")
	for i, s := range op.Subs {
		if i > 0 {
			b.write(", ")
		}
		b.columnChange(at, table, s)
	}
	if pk := b.primaryKey(op.Subs, ", ADD "); pk != nil {
		at.Cmds = append(at.Cmds, pgsql.AlterCmd{Kind: pgsql.AlterAddConstraint, Constraint: pk, Subtype: "AT_AddConstraint"})
	}
	if len(at.Cmds) == 0 {
		// `ALTER TABLE "t" ` alone does not parse.
		return nil
	}
	return at
}

// columnChange mirrors lower's columnChange.
func (b *dslBuilder) columnChange(at *pgsql.AlterTable, table TableRef, s *Sub) {
	ref := s.Ref()
	switch s.Kind {
	case SubAdd, SubAddIfNotExists:
		b.write("ADD COLUMN ")
		if s.Kind == SubAddIfNotExists {
			b.write("IF NOT EXISTS ")
		}
		col := b.column(s)
		at.Cmds = append(at.Cmds, pgsql.AlterCmd{Kind: pgsql.AlterAddColumn, Column: col.Name, Def: &col,
			IfNotExists: s.Kind == SubAddIfNotExists, Subtype: "AT_AddColumn"})
		if ref != nil {
			b.write(", ADD ")
			b.addConstraint(at, b.reference(ref, table, s.Column))
		}
	case SubModify:
		b.modify(at, table, s)
	case SubRemove:
		if ref != nil {
			b.dropReference(at, *s.Type, table, s.Column)
		}
		b.write("DROP COLUMN " + quoteName(s.Column))
		at.Cmds = append(at.Cmds, pgsql.AlterCmd{Kind: pgsql.AlterDropColumn, Column: b.ident(s.Column), Subtype: "AT_DropColumn"})
	case SubRemoveIfExists:
		if ref != nil {
			name := refName(ref, table, s.Column)
			b.write("DROP CONSTRAINT IF EXISTS " + quoteName(name) + ", ")
			at.Cmds = append(at.Cmds, pgsql.AlterCmd{Kind: pgsql.AlterDropConstraint, Name: b.ident(name), IfExists: true,
				Subtype: "AT_DropConstraint"})
		}
		b.write("DROP COLUMN IF EXISTS " + quoteName(s.Column))
		at.Cmds = append(at.Cmds, pgsql.AlterCmd{Kind: pgsql.AlterDropColumn, Column: b.ident(s.Column), IfExists: true,
			Subtype: "AT_DropColumn"})
	default:
		b.bad = true
	}
}

// modify mirrors the SubModify case of lower's columnChange.
func (b *dslBuilder) modify(at *pgsql.AlterTable, table TableRef, s *Sub) {
	if s.Type == nil {
		b.bad = true
		return
	}
	name := quoteName(s.Column)
	column := b.ident(s.Column)
	from, _ := s.Opts.Get("from")
	b.dropReference(at, from, table, s.Column)
	typ := *s.Type
	typeText := ""
	ref := s.Ref()
	if ref != nil {
		typ = ref.Type
		typeText = b.l.referenceColumnType(ref.Type, s.Opts)
	} else {
		typeText = b.l.columnType(*s.Type, s.Opts)
	}
	// A GENERATED or identity clause after TYPE does not parse: ColumnType
	// rejects the text then.
	tn, ok := pgsql.ColumnType(typeText)
	if !ok {
		b.bad = true
	}
	b.write("ALTER COLUMN " + name + " TYPE " + typeText)
	at.Cmds = append(at.Cmds, pgsql.AlterCmd{Kind: pgsql.AlterColumnType, Column: column, Type: tn, Subtype: "AT_AlterColumnType"})
	// Ecto writes the collation last, where it belongs to whatever clause
	// comes before it: only right after the type is it the column's.
	afterType := ref != nil
	if ref != nil {
		b.write(", ADD ")
		b.addConstraint(at, b.reference(ref, table, s.Column))
	}
	if v, ok := s.Opts.Get("null"); ok && v.Kind == VBool {
		afterType = true
		cmd := pgsql.AlterCmd{Kind: pgsql.AlterSetNotNull, Column: column, Subtype: "AT_SetNotNull"}
		if v.S == "true" {
			cmd.Kind, cmd.Subtype = pgsql.AlterDropNotNull, "AT_DropNotNull"
			b.write(", ALTER COLUMN " + name + " DROP NOT NULL")
		} else {
			b.write(", ALTER COLUMN " + name + " SET NOT NULL")
		}
		at.Cmds = append(at.Cmds, cmd)
	}
	if v, ok := s.Opts.Get("default"); ok {
		afterType = true
		def := b.l.defaultExpr(v, typ)
		b.write(", ALTER COLUMN " + name + " SET" + def)
		e, lits, ok := pgsql.SetDefault(strings.TrimPrefix(def, " DEFAULT "))
		if !ok {
			b.bad = true
		}
		b.lits = append(b.lits, lits...)
		at.Cmds = append(at.Cmds, pgsql.AlterCmd{Kind: pgsql.AlterSetDefault, Column: column, Default: e, Subtype: "AT_ColumnDefault"})
	}
	if c, ok := s.Opts.Get("collation"); ok {
		if afterType {
			b.bad = true
		}
		b.write(` COLLATE "` + b.ident(c.S) + `"`)
	}
}

// dropReference mirrors dropReferenceExpr: modify's from: and remove's
// type drop the foreign key of a reference first.
func (b *dslBuilder) dropReference(at *pgsql.AlterTable, v Value, table TableRef, column string) {
	if v.Kind == VTuple && len(v.Items) == 2 {
		v = v.Items[0]
	}
	if v.Kind != VRef {
		return
	}
	name := refName(v.Ref, table, column)
	b.write("DROP CONSTRAINT " + quoteName(name) + ", ")
	at.Cmds = append(at.Cmds, pgsql.AlterCmd{Kind: pgsql.AlterDropConstraint, Name: b.ident(name), Subtype: "AT_DropConstraint"})
}

func (b *dslBuilder) addConstraint(at *pgsql.AlterTable, k pgsql.Constraint) {
	at.Cmds = append(at.Cmds, pgsql.AlterCmd{Kind: pgsql.AlterAddConstraint, Name: k.Name, Constraint: &k, Subtype: "AT_AddConstraint"})
}

// refName is the unquoted name referenceName gives.
func refName(ref *RefSpec, table TableRef, column string) string {
	if ref.Name != "" {
		return ref.Name
	}
	return table.Name + "_" + column + "_fkey"
}

// column renders and describes `"name" type options` as columnDefinition
// and the add case of columnChange do.
func (b *dslBuilder) column(s *Sub) pgsql.Column {
	col := pgsql.Column{Name: b.ident(s.Column)}
	col.Dynamic = pgsql.IsDynamic(col.Name)
	if s.Type == nil {
		b.bad = true
		return col
	}
	b.write(quoteName(s.Column) + " ")
	typ := *s.Type
	full, base := "", ""
	if ref := s.Ref(); ref != nil {
		typ = ref.Type
		full = b.l.referenceColumnType(typ, s.Opts)
		base = full
		if !(typ.Kind == VAtom && (typ.S == "serial" || typ.S == "bigserial" || typ.S == "identity")) {
			base = b.l.columnTypeName(typ, s.Opts)
		}
	} else {
		full = b.l.columnType(typ, s.Opts)
		base = b.l.columnTypeName(typ, s.Opts)
	}
	if !strings.HasPrefix(full, base) {
		b.bad = true
		return col
	}
	t, ok := pgsql.ColumnType(base)
	if !ok {
		b.bad = true
	}
	col.Type = t
	b.write(full)
	// What columnType appends to the type: a generated column or identity.
	switch clause := full[len(base):]; {
	case clause == "":
	case strings.HasPrefix(clause, " GENERATED BY DEFAULT AS IDENTITY") && typ.Kind == VAtom && typ.S == "identity" && !hasGenerated(s.Opts):
		// The sequence options (START WITH n INCREMENT BY m) are not described.
		col.Identity = "BY DEFAULT"
	case strings.HasPrefix(clause, " GENERATED "):
		identity, gen, lits, ok := pgsql.ColumnGenerated(clause[len(" GENERATED "):])
		if !ok {
			b.bad = true
		}
		col.Identity, col.Generated = identity, gen
		b.lits = append(b.lits, lits...)
	default:
		b.bad = true
	}
	// columnOptions: default, null, collation in this order.
	if v, ok := s.Opts.Get("default"); ok {
		def := b.l.defaultExpr(v, typ)
		b.write(def)
		e, lits, ok := pgsql.ColumnDefault(strings.TrimPrefix(def, " DEFAULT "))
		if !ok {
			b.bad = true
		}
		col.Default = e
		b.lits = append(b.lits, lits...)
	}
	if v, ok := s.Opts.Get("null"); ok && v.Kind == VBool {
		if v.S == "false" {
			b.write(" NOT NULL")
			col.NotNull = true
		} else {
			b.write(" NULL")
			col.Null = true
		}
	}
	if v, ok := s.Opts.Get("collation"); ok {
		b.write(` COLLATE "` + v.S + `"`)
		col.Collation = b.ident(v.S)
	}
	return col
}

// hasGenerated tells whether columnType writes the `generated:` option.
func hasGenerated(opts Value) bool {
	g, ok := opts.Get("generated")
	return ok && g.Kind != VNil
}

// reference renders and describes referenceExpr's FOREIGN KEY constraint.
func (b *dslBuilder) reference(ref *RefSpec, table TableRef, column string) pgsql.Constraint {
	b.write(b.l.referenceExpr(ref, table, column))
	cols := []string{b.ident(column)}
	refCols := []string{b.ident(ref.Column)}
	for _, w := range ref.With {
		cols = append(cols, b.ident(w[0]))
		refCols = append(refCols, b.ident(w[1]))
	}
	prefix := table.Prefix
	if ref.Prefix != nil {
		prefix = *ref.Prefix
	}
	if ref.Match == "partial" {
		// The grammar rejects MATCH PARTIAL ("not yet implemented").
		b.bad = true
	}
	return pgsql.Constraint{
		Kind:     pgsql.ConstraintForeignKey,
		Name:     b.ident(refName(ref, table, column)),
		NotValid: !ref.Validate,
		Columns:  cols,
		References: &pgsql.ForeignKey{
			Table:    b.qname(prefix, ref.Table),
			Columns:  refCols,
			OnDelete: b.onDelete(ref.OnDelete),
			OnUpdate: actionOf(onUpdate(ref.OnUpdate), " ON UPDATE "),
		},
	}
}

// onDelete is the action of lower's onDelete; the columns of SET NULL
// (cols) must be names the parser reads back.
func (b *dslBuilder) onDelete(v Value) string {
	if v.Kind == VTuple && len(v.Items) == 2 {
		if len(v.Items[1].Items) == 0 {
			b.bad = true
		}
		for _, c := range v.Items[1].Items {
			b.ident(c.S)
		}
	}
	return actionOf(onDelete(v), " ON DELETE ")
}

// actionOf reads back the action lower wrote after ON DELETE / ON UPDATE,
// as pgsql names it.
func actionOf(clause, prefix string) string {
	action, _, _ := strings.Cut(strings.TrimPrefix(clause, prefix), " (")
	return action
}

// primaryKey renders pkDefinition and describes its constraint.
func (b *dslBuilder) primaryKey(subs []*Sub, prefix string) *pgsql.Constraint {
	text := pkDefinition(subs, prefix)
	if text == "" {
		return nil
	}
	b.write(text)
	k := &pgsql.Constraint{Kind: pgsql.ConstraintPrimaryKey}
	for _, s := range subs {
		if s.Kind == SubRemove || s.Type == nil || s.Kind == SubRemoveIfExists {
			continue
		}
		if v, ok := s.Opts.Get("primary_key"); ok && v.Truthy() {
			k.Columns = append(k.Columns, b.ident(s.Column))
		}
	}
	return k
}

func (b *dslBuilder) tableComment(table TableRef, comment string) pgsql.Description {
	b.write("COMMENT ON TABLE " + quoteQualified(table.Prefix, table.Name) + " IS " + singleQuote(comment))
	return &pgsql.Comment{Object: pgsql.ObjectTable, Target: b.qname(table.Prefix, table.Name)}
}

func (b *dslBuilder) columnComment(table TableRef, subs []*Sub, sub int) pgsql.Description {
	if sub >= len(subs) {
		return nil
	}
	s := subs[sub]
	c, ok := s.Opts.Get("comment")
	if !ok || c.Kind == VNil {
		return nil
	}
	b.write("COMMENT ON COLUMN " + quoteQualified(table.Prefix, table.Name) + "." + quoteName(s.Column) + " IS " + singleQuote(c.S))
	return &pgsql.Comment{Object: pgsql.ObjectColumn, Target: b.qname(table.Prefix, table.Name), Sub: b.ident(s.Column)}
}

// indexMethods are the access methods of PostgreSQL itself, written as
// Ecto users write them: unquoted, folded to lower case by the parser.
var indexMethods = map[string]bool{"btree": true, "hash": true, "gist": true, "gin": true, "spgist": true, "brin": true}

func (b *dslBuilder) createIndex(op *Op) pgsql.Description {
	ix := op.Index
	if ix.Options != nil || len(ix.Columns) == 0 {
		// index(options: ...) is SQL of the user's; `()` does not parse.
		return nil
	}
	ci := &pgsql.CreateIndex{
		Name:         b.ident(ix.Name),
		Table:        b.qname(ix.Table.Prefix, ix.Table.Name),
		Concurrently: ix.Concurrently,
		Unique:       ix.Unique,
		IfNotExists:  op.Kind == OpCreateIndexIfNotExists,
		Only:         ix.Only,
		Method:       "btree",
	}
	b.write("CREATE ")
	if ix.Unique {
		b.write("UNIQUE ")
	}
	b.write("INDEX ")
	if ix.Concurrently {
		b.write("CONCURRENTLY ")
	}
	if ci.IfNotExists {
		b.write("IF NOT EXISTS ")
	}
	b.write(quoteName(ix.Name) + " ON ")
	if ix.Only {
		b.write("ONLY ")
	}
	b.write(quoteQualified(ix.Table.Prefix, ix.Table.Name))
	if ix.Using != "" {
		ci.Method = strings.ToLower(ix.Using)
		if !indexMethods[ci.Method] {
			b.bad = true
		}
		b.write(" USING " + ix.Using)
	}
	b.write(" (")
	for i, c := range ix.Columns {
		if i > 0 {
			b.write(", ")
		}
		text := indexExpr(c)
		b.write(text)
		col := c
		if c.Kind == VTuple && len(c.Items) == 2 {
			col = c.Items[1]
		}
		if col.Kind != VString {
			// A quoted name, with its ordering.
			ci.Columns = append(ci.Columns, pgsql.IndexElem{Column: b.ident(col.S)})
			continue
		}
		// An expression, or a column with an operator class; a string with
		// commas gives several keys.
		els, lits, ok := pgsql.IndexElements(text)
		if !ok {
			b.bad = true
		}
		ci.Columns = append(ci.Columns, els...)
		b.lits = append(b.lits, lits...)
	}
	b.write(")")
	if len(ix.Include) > 0 {
		var inc []string
		for _, c := range ix.Include {
			if c.Kind == VString {
				// Free SQL text: parse.
				b.bad = true
			}
			inc = append(inc, includeExpr(c))
			ci.Include = append(ci.Include, b.ident(c.S))
		}
		b.write(" INCLUDE (" + strings.Join(inc, ", ") + ")")
	}
	if ix.NullsDistinct != nil {
		if *ix.NullsDistinct {
			b.write(" NULLS DISTINCT")
		} else {
			b.write(" NULLS NOT DISTINCT")
			ci.NullsNotDistinct = true
		}
	}
	if ix.Where != "" {
		b.write(" WHERE " + ix.Where)
		e, lits, ok := pgsql.IndexWhere(ix.Where)
		if !ok {
			b.bad = true
		}
		ci.Where = e
		b.lits = append(b.lits, lits...)
	}
	return ci
}

func (b *dslBuilder) createConstraint(c *ConstraintSpec) pgsql.Description {
	var clause string
	switch {
	case c.Check != nil:
		clause = "CHECK (" + *c.Check + ")"
	case c.Exclude != nil:
		clause = "EXCLUDE USING " + *c.Exclude
	default:
		return nil
	}
	if !c.Validate {
		clause += " NOT VALID"
	}
	b.write("ALTER TABLE " + quoteQualified(c.Table.Prefix, c.Table.Name) + " ADD CONSTRAINT " + quoteName(c.Name) + " " + clause)
	k, lits, ok := pgsql.TableConstraint(clause)
	if !ok {
		b.bad = true
	}
	k.Name = b.ident(c.Name)
	b.lits = append(b.lits, lits...)
	cmd := pgsql.AlterCmd{Kind: pgsql.AlterAddConstraint, Name: k.Name, Constraint: &k, Subtype: "AT_AddConstraint"}
	return &pgsql.AlterTable{Table: b.qname(c.Table.Prefix, c.Table.Name), Object: pgsql.ObjectTable, Cmds: []pgsql.AlterCmd{cmd}}
}
