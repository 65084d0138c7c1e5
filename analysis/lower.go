package analysis

import (
	"encoding/json"
	"sort"
	"strings"
)

// lower fills op.Queries with the SQL ecto_sql 3.13.5 sends for op
// (Ecto.Adapters.Postgres.Connection.execute_ddl/1), one entry per query.
// It returns what Ecto would reject on the way.
func lower(op *Op, cfg *RepoConfig, hole func(Value) string) []Problem {
	l := &lowerer{cfg: cfg, hole: hole}
	op.Queries = nil
	// Each query remembers the command and config it was lowered from, so
	// that it can be described without parsing (describe_dsl.go).
	origin := &dslOrigin{op: op, cfg: cfg}
	add := func(sql string, sub int) {
		op.Queries = append(op.Queries, &Query{SQL: sql, Start: op.Start, End: op.End, Sub: sub, dsl: origin})
	}
	switch op.Kind {
	case OpCreateTable, OpCreateTableIfNotExists:
		t := op.TableSpec
		name := quoteQualified(t.Ref.Prefix, t.Ref.Name)
		var b strings.Builder
		b.WriteString("CREATE TABLE ")
		if op.Kind == OpCreateTableIfNotExists {
			b.WriteString("IF NOT EXISTS ")
		}
		b.WriteString(name + " (")
		for i, s := range op.Subs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(l.columnDefinition(t.Ref, s))
		}
		b.WriteString(pkDefinition(op.Subs, ", "))
		b.WriteString(")")
		if t.Options != nil {
			b.WriteString(l.tableOptions(*t.Options))
		}
		add(b.String(), -1)
		if t.Comment != nil {
			add("COMMENT ON TABLE "+name+" IS "+singleQuote(t.Comment.S), -1)
		}
		l.columnComments(name, op.Subs, add)
	case OpDropTable, OpDropTableIfExists:
		sql := "DROP TABLE "
		if op.Kind == OpDropTableIfExists {
			sql += "IF EXISTS "
		}
		add(sql+quoteQualified(op.Table.Prefix, op.Table.Name)+dropMode(op.Mode), -1)
	case OpAlterTable:
		if op.Table == nil {
			return nil
		}
		name := quoteQualified(op.Table.Prefix, op.Table.Name)
		var parts []string
		for _, s := range op.Subs {
			parts = append(parts, l.columnChange(*op.Table, s))
		}
		add("ALTER TABLE "+name+" "+strings.Join(parts, ", ")+pkDefinition(op.Subs, ", ADD "), -1)
		if op.TableSpec != nil && op.TableSpec.Comment != nil {
			add("COMMENT ON TABLE "+name+" IS "+singleQuote(op.TableSpec.Comment.S), -1)
		}
		l.columnComments(name, op.Subs, add)
	case OpCreateIndex, OpCreateIndexIfNotExists:
		ix := op.Index
		var b strings.Builder
		b.WriteString("CREATE ")
		if ix.Unique {
			b.WriteString("UNIQUE ")
		}
		b.WriteString("INDEX ")
		if ix.Concurrently {
			b.WriteString("CONCURRENTLY ")
		}
		if op.Kind == OpCreateIndexIfNotExists {
			b.WriteString("IF NOT EXISTS ")
		}
		b.WriteString(quoteName(ix.Name) + " ON ")
		if ix.Only {
			b.WriteString("ONLY ")
		}
		b.WriteString(quoteQualified(ix.Table.Prefix, ix.Table.Name))
		if ix.Using != "" {
			b.WriteString(" USING " + ix.Using)
		}
		var cols []string
		for _, c := range ix.Columns {
			cols = append(cols, indexExpr(c))
		}
		b.WriteString(" (" + strings.Join(cols, ", ") + ")")
		if len(ix.Include) > 0 {
			var inc []string
			for _, c := range ix.Include {
				inc = append(inc, includeExpr(c))
			}
			b.WriteString(" INCLUDE (" + strings.Join(inc, ", ") + ")")
		}
		if ix.NullsDistinct != nil {
			if *ix.NullsDistinct {
				b.WriteString(" NULLS DISTINCT")
			} else {
				b.WriteString(" NULLS NOT DISTINCT")
			}
		}
		if ix.Options != nil {
			b.WriteString(" WITH (" + *ix.Options + ")")
		}
		if ix.Where != "" {
			b.WriteString(" WHERE " + ix.Where)
		}
		add(b.String(), -1)
		if ix.Comment != nil {
			add("COMMENT ON INDEX "+quoteQualified(ix.Table.Prefix, ix.Name)+" IS "+singleQuote(*ix.Comment), -1)
		}
	case OpDropIndex, OpDropIndexIfExists:
		ix := op.Index
		sql := "DROP INDEX "
		if ix.Concurrently {
			sql += "CONCURRENTLY "
		}
		if op.Kind == OpDropIndexIfExists {
			sql += "IF EXISTS "
		}
		add(sql+quoteQualified(ix.Table.Prefix, ix.Name)+dropMode(op.Mode), -1)
	case OpRenameIndex:
		add("ALTER INDEX "+quoteQualified(op.Index.Table.Prefix, op.Index.Name)+" RENAME TO "+quoteName(op.NewName), -1)
	case OpRenameTable:
		add("ALTER TABLE "+quoteQualified(op.Table.Prefix, op.Table.Name)+" RENAME TO "+quoteName(op.NewTable.Name), -1)
	case OpRenameColumn:
		add("ALTER TABLE "+quoteQualified(op.Table.Prefix, op.Table.Name)+" RENAME "+quoteName(op.OldColumn)+" TO "+quoteName(op.NewColumn), -1)
	case OpCreateConstraint:
		c := op.Constraint
		table := quoteQualified(c.Table.Prefix, c.Table.Name)
		var expr string
		switch {
		case c.Check != nil:
			expr = "CONSTRAINT " + quoteName(c.Name) + " CHECK (" + *c.Check + ")"
		case c.Exclude != nil:
			expr = "CONSTRAINT " + quoteName(c.Name) + " EXCLUDE USING " + *c.Exclude
		default:
			return nil
		}
		if !c.Validate {
			expr += " NOT VALID"
		}
		add("ALTER TABLE "+table+" ADD "+expr, -1)
		if c.Comment != nil {
			add("COMMENT ON CONSTRAINT "+quoteName(c.Name)+" ON "+table+" IS "+singleQuote(*c.Comment), -1)
		}
	case OpDropConstraint, OpDropConstraintIfExists:
		c := op.Constraint
		sql := "ALTER TABLE " + quoteQualified(c.Table.Prefix, c.Table.Name) + " DROP CONSTRAINT "
		if op.Kind == OpDropConstraintIfExists {
			sql += "IF EXISTS "
		}
		add(sql+quoteName(c.Name)+dropMode(op.Mode), -1)
	}
	return l.problems
}

type lowerer struct {
	cfg *RepoConfig
	// hole gives the placeholder of a value not known statically (nil:
	// a plain placeholder).
	hole     func(Value) string
	problems []Problem
}

func (l *lowerer) rejects(msg string) {
	l.problems = append(l.problems, Problem{Kind: Rejected, Message: msg})
}

// unknown renders a value the file does not give.
func (l *lowerer) unknown(v Value, what string) string {
	l.problems = append(l.problems, Problem{Kind: Unfollowed, Message: what + " not known statically"})
	if l.hole != nil {
		return l.hole(v)
	}
	return placeholderPrefix + "unknown"
}

func quoteName(s string) string { return `"` + s + `"` }

func quoteQualified(prefix, name string) string {
	if prefix != "" {
		return quoteName(prefix) + "." + quoteName(name)
	}
	return quoteName(name)
}

func quoteNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteName(n)
	}
	return strings.Join(q, ",")
}

func dropMode(mode string) string {
	if mode == "cascade" {
		return " CASCADE"
	}
	return ""
}

func singleQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// tableOptions renders table(options: ...): a string is appended after one
// space (a keyword list raises in the Postgres adapter).
func (l *lowerer) tableOptions(v Value) string {
	if v.Kind == VString {
		return " " + v.S
	}
	l.rejects("PostgreSQL adapter does not support keyword lists in :options")
	return ""
}

// pkDefinition lists the columns marked primary_key: true (not removed).
func pkDefinition(subs []*Sub, prefix string) string {
	var pks []string
	for _, s := range subs {
		if s.Kind == SubRemove || s.Type == nil || s.Kind == SubRemoveIfExists {
			continue
		}
		if v, ok := s.Opts.Get("primary_key"); ok && v.Truthy() {
			pks = append(pks, s.Column)
		}
	}
	if len(pks) == 0 {
		return ""
	}
	return prefix + "PRIMARY KEY (" + quoteNames(pks) + ")"
}

func (l *lowerer) columnComments(table string, subs []*Sub, add func(string, int)) {
	for i, s := range subs {
		if s.Kind == SubRemove || s.Kind == SubRemoveIfExists || s.Type == nil {
			continue
		}
		if c, ok := s.Opts.Get("comment"); ok && c.Kind != VNil {
			add("COMMENT ON COLUMN "+table+"."+quoteName(s.Column)+" IS "+singleQuote(c.S), i)
		}
	}
}

func (l *lowerer) columnDefinition(table TableRef, s *Sub) string {
	if ref := s.Ref(); ref != nil {
		return quoteName(s.Column) + " " + l.referenceColumnType(ref.Type, s.Opts) + l.columnOptions(ref.Type, s.Opts) +
			", " + l.referenceExpr(ref, table, s.Column)
	}
	return quoteName(s.Column) + " " + l.columnType(*s.Type, s.Opts) + l.columnOptions(*s.Type, s.Opts)
}

func (l *lowerer) columnChange(table TableRef, s *Sub) string {
	name := quoteName(s.Column)
	ref := s.Ref()
	switch s.Kind {
	case SubAdd, SubAddIfNotExists:
		kw := "ADD COLUMN "
		if s.Kind == SubAddIfNotExists {
			kw = "ADD COLUMN IF NOT EXISTS "
		}
		if ref != nil {
			return kw + name + " " + l.referenceColumnType(ref.Type, s.Opts) + l.columnOptions(ref.Type, s.Opts) +
				", ADD " + l.referenceExpr(ref, table, s.Column)
		}
		return kw + name + " " + l.columnType(*s.Type, s.Opts) + l.columnOptions(*s.Type, s.Opts)
	case SubModify:
		from, _ := s.Opts.Get("from")
		collation := ""
		if c, ok := s.Opts.Get("collation"); ok {
			collation = ` COLLATE "` + c.S + `"`
		}
		if ref != nil {
			return l.dropReferenceExpr(from, table, s.Column) + "ALTER COLUMN " + name + " TYPE " +
				l.referenceColumnType(ref.Type, s.Opts) + ", ADD " + l.referenceExpr(ref, table, s.Column) +
				modifyNull(name, s.Opts) + l.modifyDefault(name, ref.Type, s.Opts) + collation
		}
		return l.dropReferenceExpr(from, table, s.Column) + "ALTER COLUMN " + name + " TYPE " +
			l.columnType(*s.Type, s.Opts) + modifyNull(name, s.Opts) + l.modifyDefault(name, *s.Type, s.Opts) + collation
	case SubRemove:
		if ref != nil {
			return l.dropReferenceExpr(*s.Type, table, s.Column) + "DROP COLUMN " + name
		}
		return "DROP COLUMN " + name
	case SubRemoveIfExists:
		if ref != nil {
			return "DROP CONSTRAINT IF EXISTS " + l.referenceName(ref, table, s.Column) + ", DROP COLUMN IF EXISTS " + name
		}
		return "DROP COLUMN IF EXISTS " + name
	}
	return ""
}

func modifyNull(name string, opts Value) string {
	v, ok := opts.Get("null")
	if !ok || v.Kind != VBool {
		return ""
	}
	if v.S == "true" {
		return ", ALTER COLUMN " + name + " DROP NOT NULL"
	}
	return ", ALTER COLUMN " + name + " SET NOT NULL"
}

func (l *lowerer) modifyDefault(name string, typ Value, opts Value) string {
	v, ok := opts.Get("default")
	if !ok {
		return ""
	}
	return ", ALTER COLUMN " + name + " SET" + l.defaultExpr(v, typ)
}

func (l *lowerer) columnOptions(typ Value, opts Value) string {
	var b strings.Builder
	if v, ok := opts.Get("default"); ok {
		b.WriteString(l.defaultExpr(v, typ))
	}
	if v, ok := opts.Get("null"); ok && v.Kind == VBool {
		if v.S == "false" {
			b.WriteString(" NOT NULL")
		} else {
			b.WriteString(" NULL")
		}
	}
	if v, ok := opts.Get("collation"); ok {
		b.WriteString(` COLLATE "` + v.S + `"`)
	}
	return b.String()
}

func (l *lowerer) defaultExpr(v Value, typ Value) string {
	if v.Kind == VNil {
		return " DEFAULT NULL"
	}
	return " DEFAULT " + l.defaultType(v, typ)
}

func (l *lowerer) defaultType(v Value, typ Value) string {
	if v.Kind == VList && typ.Kind == VTuple && len(typ.Items) == 2 && typ.Items[0].Kind == VAtom && typ.Items[0].S == "array" {
		var items []string
		for _, it := range v.Items {
			items = append(items, l.defaultType(it, typ.Items[1]))
		}
		return "ARRAY[" + strings.Join(items, ",") + "]::" + l.ectoToDB(typ)
	}
	switch v.Kind {
	case VString:
		if strings.ContainsRune(v.S, 0) {
			l.rejects("default values cannot contain null bytes (Ecto raises ArgumentError)")
		}
		return singleQuote(v.S)
	case VInt, VFloat, VBool:
		return v.S
	case VFragment:
		return v.S
	case VTuple:
		// {:fragment, "sql"} is what fragment/1 returns; repo configs write it literally.
		if len(v.Items) == 2 && v.Items[0].Kind == VAtom && v.Items[0].S == "fragment" && v.Items[1].Kind == VString {
			return v.Items[1].S
		}
	case VBits:
		return "b'" + v.S + "'"
	case VMap:
		if typ.Kind == VAtom && typ.S == "map" {
			if s, ok := jsonEncode(v); ok {
				return singleQuote(s)
			}
		}
	case VDynamic:
		return l.unknown(v, "default value")
	}
	l.rejects("unknown default " + v.Elixir() + " for type " + typ.Elixir() + " (Ecto raises ArgumentError)")
	return v.Elixir()
}

// jsonEncode renders a static map as Jason does (small maps iterate in
// Erlang term order: numbers < atoms < binaries).
func jsonEncode(v Value) (string, bool) {
	var enc func(v Value) (any, bool)
	enc = func(v Value) (any, bool) {
		switch v.Kind {
		case VNil:
			return nil, true
		case VBool:
			return v.S == "true", true
		case VInt, VFloat:
			return json.Number(v.S), true
		case VString, VAtom:
			return v.S, true
		case VList:
			out := []any{}
			for _, it := range v.Items {
				x, ok := enc(it)
				if !ok {
					return nil, false
				}
				out = append(out, x)
			}
			return out, true
		case VMap:
			type kv struct {
				rank int
				key  string
				val  any
			}
			var kvs []kv
			for i, k := range v.MapKeys {
				rank := 2
				switch k.Kind {
				case VAtom:
					rank = 1
				case VString:
				default:
					return nil, false
				}
				x, ok := enc(v.Items[i])
				if !ok {
					return nil, false
				}
				kvs = append(kvs, kv{rank, k.S, x})
			}
			sort.SliceStable(kvs, func(i, j int) bool {
				if kvs[i].rank != kvs[j].rank {
					return kvs[i].rank < kvs[j].rank
				}
				return kvs[i].key < kvs[j].key
			})
			var b strings.Builder
			b.WriteByte('{')
			for i, e := range kvs {
				if i > 0 {
					b.WriteByte(',')
				}
				kb, _ := marshal(e.key)
				vb, _ := marshal(e.val)
				b.WriteString(kb + ":" + vb)
			}
			b.WriteByte('}')
			return json.RawMessage(b.String()), true
		}
		return nil, false
	}
	x, ok := enc(v)
	if !ok {
		return "", false
	}
	s, err := marshal(x)
	return s, err == nil
}

func marshal(x any) (string, error) {
	var b strings.Builder
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(x); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

func indexExpr(c Value) string {
	if c.Kind == VTuple && len(c.Items) == 2 {
		dir := c.Items[0].S
		col := c.Items[1]
		s := quoteName(col.S)
		if col.Kind == VString {
			s = col.S
		}
		switch dir {
		case "asc":
			return s + " ASC"
		case "asc_nulls_first":
			return s + " ASC NULLS FIRST"
		case "asc_nulls_last":
			return s + " ASC NULLS LAST"
		case "desc":
			return s + " DESC"
		case "desc_nulls_first":
			return s + " DESC NULLS FIRST"
		case "desc_nulls_last":
			return s + " DESC NULLS LAST"
		}
		return s
	}
	if c.Kind == VString {
		return c.S
	}
	return quoteName(c.S)
}

func includeExpr(c Value) string {
	if c.Kind == VString {
		return c.S
	}
	return quoteName(c.S)
}

// columnType is Ecto's column_type/2.
func (l *lowerer) columnType(t Value, opts Value) string {
	name := l.columnTypeName(t, opts)
	gen, hasGen := opts.Get("generated")
	if hasGen && gen.Kind != VNil {
		if gen.Kind == VString {
			return name + " GENERATED " + gen.S
		}
		l.rejects("the `:generated` option only accepts strings (Ecto raises ArgumentError)")
		return name
	}
	if t.Kind == VAtom && t.S == "identity" {
		var seq []string
		if v, ok := opts.Get("start_value"); ok && v.Kind == VInt && !strings.HasPrefix(v.S, "-") && v.S != "0" {
			seq = append(seq, "START WITH "+v.S)
		}
		if v, ok := opts.Get("increment"); ok && v.Kind == VInt && !strings.HasPrefix(v.S, "-") && v.S != "0" {
			seq = append(seq, "INCREMENT BY "+v.S)
		}
		if len(seq) == 0 {
			return name + " GENERATED BY DEFAULT AS IDENTITY"
		}
		return name + " GENERATED BY DEFAULT AS IDENTITY(" + strings.Join(seq, " ") + ") "
	}
	return name
}

func (l *lowerer) columnTypeName(t Value, opts Value) string {
	if t.Kind == VTuple && len(t.Items) == 2 && t.Items[0].Kind == VAtom && t.Items[0].S == "array" {
		return l.columnTypeName(t.Items[1], opts) + "[]"
	}
	if t.Kind == VAtom {
		switch t.S {
		case "time", "utc_datetime", "naive_datetime":
			return l.ectoToDB(t) + "(0)"
		case "time_usec", "utc_datetime_usec", "naive_datetime_usec":
			if p, ok := opts.Get("precision"); ok && p.Kind != VNil {
				return l.ectoToDB(t) + "(" + p.S + ")"
			}
			return l.ectoToDB(t)
		case "duration":
			p, hasP := opts.Get("precision")
			f, hasF := opts.Get("fields")
			hasP = hasP && p.Kind != VNil
			hasF = hasF && f.Kind != VNil
			switch {
			case hasF && hasP:
				return "interval " + f.S + "(" + p.S + ")"
			case hasP:
				return "interval(" + p.S + ")"
			case hasF:
				return "interval " + f.S
			}
			return "interval"
		}
	}
	db := l.ectoToDB(t)
	if v, ok := opts.Get("size"); ok && v.Kind != VNil && !(v.Kind == VBool && v.S == "false") {
		return db + "(" + v.S + ")"
	}
	if v, ok := opts.Get("precision"); ok && v.Kind != VNil && !(v.Kind == VBool && v.S == "false") {
		scale := "0"
		if s, ok := opts.Get("scale"); ok && s.Kind != VNil {
			scale = s.S
		}
		return db + "(" + v.S + "," + scale + ")"
	}
	if t.Kind == VAtom && t.S == "string" {
		return db + "(255)"
	}
	return db
}

// ectoToDB is Ecto's ecto_to_db/1.
func (l *lowerer) ectoToDB(t Value) string {
	switch t.Kind {
	case VTuple:
		if len(t.Items) == 2 && t.Items[0].Kind == VAtom {
			switch t.Items[0].S {
			case "array":
				return l.ectoToDB(t.Items[1]) + "[]"
			case "map":
				return l.cfg.MapType
			}
		}
	case VAtom:
		switch t.S {
		case "id":
			return "integer"
		case "identity":
			return "bigint"
		case "binary_id":
			return "uuid"
		case "string":
			return "varchar"
		case "bitstring":
			return "varbit"
		case "binary":
			return "bytea"
		case "map":
			return l.cfg.MapType
		case "time_usec":
			return "time"
		case "utc_datetime", "utc_datetime_usec", "naive_datetime", "naive_datetime_usec":
			return "timestamp"
		case "duration":
			return "interval"
		}
		return t.S
	case VDynamic:
		return l.unknown(t, "column type")
	}
	l.rejects("unsupported type " + t.Elixir())
	return t.Elixir()
}

func (l *lowerer) referenceColumnType(t Value, opts Value) string {
	if t.Kind == VAtom {
		switch t.S {
		case "serial":
			return "integer"
		case "bigserial", "identity":
			return "bigint"
		}
	}
	return l.columnType(t, opts)
}

func (l *lowerer) referenceName(ref *RefSpec, table TableRef, column string) string {
	if ref.Name != "" {
		return quoteName(ref.Name)
	}
	return quoteName(table.Name + "_" + column + "_fkey")
}

func (l *lowerer) referenceExpr(ref *RefSpec, table TableRef, column string) string {
	cur := []string{column}
	refCols := []string{ref.Column}
	for _, w := range ref.With {
		cur = append(cur, w[0])
		refCols = append(refCols, w[1])
	}
	prefix := table.Prefix
	if ref.Prefix != nil {
		prefix = *ref.Prefix
	}
	var b strings.Builder
	b.WriteString("CONSTRAINT " + l.referenceName(ref, table, column) + " FOREIGN KEY (" + quoteNames(cur) + ") REFERENCES ")
	b.WriteString(quoteQualified(prefix, ref.Table) + "(" + quoteNames(refCols) + ")")
	switch ref.Match {
	case "full":
		b.WriteString(" MATCH FULL")
	case "simple":
		b.WriteString(" MATCH SIMPLE")
	case "partial":
		b.WriteString(" MATCH PARTIAL")
	}
	b.WriteString(onDelete(ref.OnDelete))
	b.WriteString(onUpdate(ref.OnUpdate))
	if !ref.Validate {
		b.WriteString(" NOT VALID")
	}
	return b.String()
}

func (l *lowerer) dropReferenceExpr(v Value, table TableRef, column string) string {
	if v.Kind == VTuple && len(v.Items) == 2 {
		v = v.Items[0]
	}
	if v.Kind == VRef {
		return "DROP CONSTRAINT " + l.referenceName(v.Ref, table, column) + ", "
	}
	return ""
}

func onDelete(v Value) string {
	switch v.Kind {
	case VAtom:
		switch v.S {
		case "nilify_all":
			return " ON DELETE SET NULL"
		case "default_all":
			return " ON DELETE SET DEFAULT"
		case "delete_all":
			return " ON DELETE CASCADE"
		case "restrict":
			return " ON DELETE RESTRICT"
		}
	case VTuple:
		if len(v.Items) == 2 {
			var cols []string
			for _, c := range v.Items[1].Items {
				cols = append(cols, c.S)
			}
			switch v.Items[0].S {
			case "nilify":
				return " ON DELETE SET NULL (" + quoteNames(cols) + ")"
			case "default":
				return " ON DELETE SET DEFAULT (" + quoteNames(cols) + ")"
			}
		}
	}
	return ""
}

func onUpdate(v Value) string {
	if v.Kind == VAtom {
		switch v.S {
		case "nilify_all":
			return " ON UPDATE SET NULL"
		case "update_all":
			return " ON UPDATE CASCADE"
		case "restrict":
			return " ON UPDATE RESTRICT"
		}
	}
	return ""
}
