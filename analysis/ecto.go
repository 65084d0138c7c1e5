package analysis

import (
	"strings"

	"github.com/lockwise/lockwise/grammar"
)

// Constructors of the structs Ecto.Migration functions return: table/2,
// index/3, unique_index/3, references/2, constraint/3.

// nameOf reads a table/column name given as an atom or a string.
func nameOf(v Value) (string, bool) {
	switch v.Kind {
	case VAtom, VString:
		return v.S, len(v.Holes) == 0
	}
	return "", false
}

// nameOrHole reads a name; a name not known statically becomes a
// placeholder standing for its Elixir expression, so the SQL still shows
// where it goes ("#{table}").
func (r *runner) nameOrHole(v Value) (string, bool) {
	if s, ok := nameOf(v); ok || v.Kind == VString || v.Kind == VAtom {
		return s, ok
	}
	return r.holeFor(v), false
}

func (r *runner) holeFor(v Value) string {
	src := "?"
	if v.Node != nil && v.Node.End <= len(r.src) && v.Node.Start < v.Node.End {
		src = string(r.src[v.Node.Start:v.Node.End])
	}
	ph := r.placeholder()
	r.holeMap[ph] = Hole{Placeholder: ph, Source: src}
	return ph
}

// checkKeys reports options Ecto's struct!/2 would reject with a KeyError.
func (r *runner) checkKeys(n *grammar.Node, what string, opts Value, allowed ...string) {
	for _, k := range opts.Keys {
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
				break
			}
		}
		if !ok {
			r.rejects(n, "%s does not accept the option %s: (Ecto raises KeyError)", what, k)
		}
	}
}

// optsArg evaluates an optional keyword-list argument.
func (r *runner) optsArg(n *grammar.Node, i int, e *env) (Value, bool) {
	if i >= len(n.Args) {
		return emptyKeyword(), true
	}
	v := r.eval(n.Args[i], e)
	if !v.IsKeyword() {
		return emptyKeyword(), false
	}
	return v, v.IsStatic()
}

// prefixOf applies Ecto.Migration.__prefix__: an explicit prefix, else the
// repo's migration_default_prefix.
func (r *runner) prefixOf(opts Value) (prefix string, dynamicPrefix bool) {
	if v, ok := opts.Get("prefix"); ok {
		switch v.Kind {
		case VNil:
		case VAtom, VString:
			if len(v.Holes) > 0 {
				return v.S, true
			}
			return v.S, false
		default:
			return r.holeFor(v), true
		}
	}
	return r.cfg.DefaultPrefix, false
}

func (r *runner) tableValue(n *grammar.Node, e *env) Value {
	if len(n.Args) == 0 {
		return dynamic(n, "table")
	}
	name, ok := r.nameOrHole(r.eval(n.Args[0], e))
	opts, static := r.optsArg(n, 1, e)
	r.checkKeys(n, "table/2", opts, "prefix", "primary_key", "comment", "options", "engine", "modifiers")
	t := &TableSpec{Start: n.Start, End: n.End, PrimaryKey: Value{Kind: VBool, S: "true"}}
	t.Ref.Name = name
	t.Ref.Dynamic = !ok || !static
	prefix, dynPrefix := r.prefixOf(opts)
	t.Ref.Prefix = prefix
	if dynPrefix {
		t.Ref.Dynamic = true
	}
	if v, ok := opts.Get("primary_key"); ok {
		t.PrimaryKey = v
	}
	if v, ok := opts.Get("comment"); ok && v.Kind != VNil {
		t.Comment = &v
	}
	if v, ok := opts.Get("options"); ok && v.Kind != VNil {
		t.Options = &v
	}
	return Value{Kind: VTable, Table: t, Node: n}
}

func (r *runner) indexValue(n *grammar.Node, e *env) Value {
	if len(n.Args) < 2 {
		return dynamic(n, n.Text)
	}
	table, tok := r.nameOrHole(r.eval(n.Args[0], e))
	cols := r.eval(n.Args[1], e)
	opts, static := r.optsArg(n, 2, e)
	if n.Text == "unique_index" {
		opts = Value{Kind: VList, Keys: []string{"unique"}, Items: []Value{{Kind: VBool, S: "true"}}}.merge(opts)
		if u, ok := opts.Get("unique"); ok && u.Kind == VBool && u.S == "false" {
			// unique_index(t, c, unique: false): [unique: true] ++ opts, first wins in struct!
			opts = opts.with("unique", Value{Kind: VBool, S: "true"})
		}
	}
	r.checkKeys(n, n.Text+"/3", opts, "name", "prefix", "unique", "concurrently", "using", "include", "only",
		"nulls_distinct", "where", "comment", "options")
	ix := &IndexSpec{Start: n.Start, End: n.End}
	ix.Table.Name = table
	ix.Dynamic = !tok || !static
	prefix, dynPrefix := r.prefixOf(opts)
	ix.Table.Prefix = prefix
	ix.Table.Dynamic = !tok || dynPrefix
	if dynPrefix {
		ix.Dynamic = true
	}
	switch {
	case cols.Kind == VAtom:
		ix.Columns = []Value{cols}
	case cols.Kind == VList:
		for i, c := range cols.Items {
			if cols.IsKeyword() {
				// [desc: :col]
				ix.Columns = append(ix.Columns, Value{Kind: VTuple, Items: []Value{{Kind: VAtom, S: cols.Keys[i]}, c}})
				continue
			}
			ix.Columns = append(ix.Columns, c)
		}
		if !cols.IsStatic() {
			ix.Dynamic = true
		}
	default:
		ix.Dynamic = true
	}
	b := func(key string) bool { v, _ := opts.Get(key); return v.Truthy() }
	ix.Unique = b("unique")
	ix.Concurrently = b("concurrently")
	ix.Only = b("only")
	if v, ok := opts.Get("concurrently"); ok && v.Kind == VDynamic {
		ix.Dynamic = true
	}
	if v, ok := opts.Get("using"); ok && v.Kind != VNil {
		ix.Using, _ = nameOf(v)
	}
	if v, ok := opts.Get("where"); ok && v.Kind != VNil {
		ix.Where, _ = nameOf(v)
	}
	n2 := 0
	for _, k := range opts.Keys {
		if k == "where" {
			n2++
		}
	}
	if n2 > 1 {
		r.rejects(n, "only one `where` keyword is supported when declaring a partial index (Ecto raises ArgumentError)")
	}
	if v, ok := opts.Get("include"); ok {
		switch v.Kind {
		case VList:
			ix.Include = v.Items
		case VAtom, VString:
			ix.Include = []Value{v}
		}
	}
	if v, ok := opts.Get("nulls_distinct"); ok && v.Kind == VBool {
		nd := v.S == "true"
		ix.NullsDistinct = &nd
		if !ix.Unique {
			r.rejects(n, "the `nulls_distinct` option can only be used with unique indexes (Ecto raises ArgumentError)")
		}
	}
	if v, ok := opts.Get("comment"); ok {
		if s, ok := nameOf(v); ok {
			ix.Comment = &s
		}
	}
	if v, ok := opts.Get("options"); ok {
		if s, ok := nameOf(v); ok {
			ix.Options = &s
		}
	}
	if v, ok := opts.Get("name"); ok && v.Kind != VNil {
		if s, ok := nameOf(v); ok {
			ix.Name = s
		} else {
			ix.NameDynamic = true
			ix.Dynamic = true
		}
	} else {
		ix.Name = defaultIndexName(table, ix.Columns)
		if !tok {
			ix.NameDynamic = true
		}
	}
	return Value{Kind: VIndex, Index: ix, Node: n}
}

// defaultIndexName is Ecto's default_index_name: table, columns and
// "index", each with non-word characters replaced by "_" and trailing "_"
// removed, joined by "_".
func defaultIndexName(table string, cols []Value) string {
	parts := []string{columnName(table)}
	if strings.HasPrefix(table, placeholderPrefix) {
		parts[0] = table
	}
	for _, c := range cols {
		if c.Kind == VTuple && len(c.Items) == 2 {
			c = c.Items[1]
		}
		s, _ := nameOf(c)
		if strings.HasPrefix(s, placeholderPrefix) {
			parts = append(parts, s) // keep a placeholder whole so it still maps to its hole
			continue
		}
		parts = append(parts, columnName(s))
	}
	parts = append(parts, "index")
	return strings.Join(parts, "_")
}

func columnName(s string) string {
	b := []byte(s)
	for i, c := range b {
		// The regex ~r"[^\w]" has no unicode flag: it works on bytes, so
		// every byte of a multi-byte character becomes "_".
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b[i] = '_'
		}
	}
	return strings.TrimRight(string(b), "_")
}

func (r *runner) refValue(n *grammar.Node, e *env) Value {
	if len(n.Args) == 0 {
		return dynamic(n, "references")
	}
	table, tok := r.nameOrHole(r.eval(n.Args[0], e))
	opts, static := r.optsArg(n, 1, e)
	r.checkKeys(n, "references/2", opts, "name", "prefix", "column", "type", "on_delete", "on_update",
		"validate", "with", "match", "options")
	// foreign_key_repo_opts: the type of migration_primary_key, then migration_foreign_key.
	base := emptyKeyword()
	if pk := r.cfg.PrimaryKey; pk.IsKeyword() {
		if t, ok := pk.Get("type"); ok {
			base = base.with("type", t)
		}
	}
	opts = base.merge(r.cfg.ForeignKey).merge(opts)
	ref := &RefSpec{Table: table, Column: "id", Type: Value{Kind: VAtom, S: "bigserial"}, Validate: true,
		OnDelete: Value{Kind: VAtom, S: "nothing"}, OnUpdate: Value{Kind: VAtom, S: "nothing"}}
	ref.Dynamic = !tok || !static
	if v, ok := opts.Get("prefix"); ok {
		switch v.Kind {
		case VNil:
			empty := ""
			ref.Prefix = &empty
		case VAtom, VString:
			s := v.S
			ref.Prefix = &s
		default:
			ref.Dynamic = true
		}
	}
	if v, ok := opts.Get("column"); ok {
		ref.Column, _ = nameOf(v)
	}
	if v, ok := opts.Get("type"); ok {
		ref.Type = v
	}
	if v, ok := opts.Get("name"); ok && v.Kind != VNil {
		ref.Name, _ = nameOf(v)
	}
	if v, ok := opts.Get("on_delete"); ok {
		ref.OnDelete = v
		if !validOnDelete(v) {
			r.rejects(n, "unknown :on_delete value: %s (Ecto raises ArgumentError)", v.Elixir())
		}
	}
	if v, ok := opts.Get("on_update"); ok {
		ref.OnUpdate = v
		if v.Kind == VAtom && !oneOf(v.S, "nothing", "update_all", "nilify_all", "restrict") {
			r.rejects(n, "unknown :on_update value: %s (Ecto raises ArgumentError)", v.Elixir())
		}
	}
	if v, ok := opts.Get("validate"); ok {
		ref.Validate = !(v.Kind == VBool && v.S == "false")
		if v.Kind == VDynamic {
			ref.Dynamic = true
		}
	}
	if v, ok := opts.Get("with"); ok && v.IsKeyword() {
		for i, k := range v.Keys {
			other, _ := nameOf(v.Items[i])
			ref.With = append(ref.With, [2]string{k, other})
		}
	}
	if v, ok := opts.Get("match"); ok && v.Kind == VAtom {
		ref.Match = v.S
	}
	return Value{Kind: VRef, Ref: ref, Node: n}
}

func validOnDelete(v Value) bool {
	switch v.Kind {
	case VAtom:
		return oneOf(v.S, "nothing", "delete_all", "nilify_all", "default_all", "restrict")
	case VTuple:
		return len(v.Items) == 2 && v.Items[0].Kind == VAtom && oneOf(v.Items[0].S, "nilify", "default") && v.Items[1].Kind == VList
	}
	return true // dynamic: cannot tell
}

func oneOf(s string, set ...string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

func (r *runner) constraintValue(n *grammar.Node, e *env) Value {
	if len(n.Args) < 2 {
		return dynamic(n, "constraint")
	}
	table, tok := r.nameOrHole(r.eval(n.Args[0], e))
	name, nok := r.nameOrHole(r.eval(n.Args[1], e))
	opts, static := r.optsArg(n, 2, e)
	r.checkKeys(n, "constraint/3", opts, "check", "exclude", "prefix", "validate", "comment", "name", "table")
	c := &ConstraintSpec{Name: name, Validate: true}
	c.Table.Name = table
	c.Dynamic = !tok || !nok || !static
	prefix, dynPrefix := r.prefixOf(opts)
	c.Table.Prefix = prefix
	c.Table.Dynamic = !tok || dynPrefix
	if v, ok := opts.Get("check"); ok && v.Kind != VNil {
		s := v.S
		c.Check = &s
	}
	if v, ok := opts.Get("exclude"); ok && v.Kind != VNil {
		s := v.S
		c.Exclude = &s
	}
	if v, ok := opts.Get("validate"); ok {
		c.Validate = !(v.Kind == VBool && v.S == "false")
	}
	if v, ok := opts.Get("comment"); ok {
		if s, ok := nameOf(v); ok {
			c.Comment = &s
		}
	}
	return Value{Kind: VConstraint, Constraint: c, Node: n}
}
