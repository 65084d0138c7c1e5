package workspace

import (
	"bytes"
	"strings"

	"github.com/lockwise/lockwise/grammar"
)

// EctoSchema is an Ecto schema module found in lib/: the table it maps to
// and the columns its fields are stored in.
type EctoSchema struct {
	Module string
	Path   string
	Table  string
	Prefix string
	// Start/End locate the `schema "table" do` call.
	Start, End int
	Fields     []*Field
}

// Field is one stored field of a schema.
type Field struct {
	Name   string // the Elixir field name
	Column string // the column it is stored in (source: option, belongs_to foreign key)
	Type   string // as written (":string", "Ecto.Enum"...), for hovers
	// Start/End locate the declaring call (field, belongs_to, timestamps).
	Start, End int
}

// Field finds the field stored in column.
func (s *EctoSchema) Field(column string) *Field {
	for _, f := range s.Fields {
		if f.Column == column {
			return f
		}
	}
	return nil
}

// ReadEctoSchemas finds the `schema "table" do ... end` blocks of one file.
func ReadEctoSchemas(path string, src []byte) []*EctoSchema {
	if !bytes.Contains(src, []byte("schema")) {
		return nil
	}
	f := grammar.Parse(src)
	var out []*EctoSchema
	grammar.Walk(f.Root, func(n *grammar.Node) bool {
		if !n.IsCall("defmodule") || len(n.Args) == 0 {
			return true
		}
		name := n.Args[0].Text
		body := n.Do
		if body == nil {
			return true
		}
		var pk *grammar.Node
		pkSet := false
		prefix := ""
		for _, s := range body.Args {
			if s.Kind == grammar.UnaryOp && s.Text == "@" && len(s.Args) == 1 && s.Args[0].Kind == grammar.Call && len(s.Args[0].Args) == 1 {
				attr := s.Args[0]
				switch attr.Text {
				case "primary_key":
					pk, pkSet = attr.Args[0], true
				case "schema_prefix":
					if attr.Args[0].Kind == grammar.String {
						prefix, _ = attr.Args[0].Str.Value()
					}
				}
			}
			if !s.IsCall("schema") || len(s.Args) == 0 || s.Args[0].Kind != grammar.String || s.Do == nil {
				continue
			}
			table, ok := s.Args[0].Str.Value()
			if !ok {
				continue
			}
			es := &EctoSchema{Module: name, Path: path, Table: table, Prefix: prefix, Start: s.Start, End: s.End}
			es.addPrimaryKey(pk, pkSet, s)
			for _, st := range s.Do.Args {
				es.addField(st)
			}
			out = append(out, es)
		}
		return true // nested modules may define schemas too
	})
	return out
}

// addPrimaryKey adds the implicit id field unless @primary_key false.
func (es *EctoSchema) addPrimaryKey(pk *grammar.Node, set bool, at *grammar.Node) {
	if set && pk.Kind == grammar.Boolean && pk.Text == "false" {
		return
	}
	name := "id"
	typ := ":id"
	if set && pk.Kind == grammar.Tuple && len(pk.Args) >= 2 && pk.Args[0].Kind == grammar.Atom {
		name = pk.Args[0].Text
		typ = source(pk.Args[1])
	}
	es.Fields = append(es.Fields, &Field{Name: name, Column: name, Type: typ, Start: at.Start, End: at.Start + len("schema")})
}

func (es *EctoSchema) addField(n *grammar.Node) {
	if n.Kind != grammar.Call || n.Target != nil || len(n.Args) == 0 && n.Text != "timestamps" {
		return
	}
	opts := lastKeywords(n)
	switch n.Text {
	case "field", "embeds_one", "embeds_many":
		if n.Args[0].Kind != grammar.Atom {
			return
		}
		if v := opts.Keyword("virtual"); v != nil && v.Kind == grammar.Boolean && v.Text == "true" {
			return
		}
		col := n.Args[0].Text
		if s := opts.Keyword("source"); s != nil && s.Kind == grammar.Atom {
			col = s.Text
		}
		typ := ":string"
		if len(n.Args) >= 2 && n.Args[1].Kind != grammar.Keywords {
			typ = source(n.Args[1])
		}
		if n.Text != "field" {
			typ = n.Text
		}
		es.Fields = append(es.Fields, &Field{Name: n.Args[0].Text, Column: col, Type: typ, Start: n.Start, End: n.End})
	case "belongs_to":
		if n.Args[0].Kind != grammar.Atom {
			return
		}
		if v := opts.Keyword("define_field"); v != nil && v.Kind == grammar.Boolean && v.Text == "false" {
			return
		}
		col := n.Args[0].Text + "_id"
		if fk := opts.Keyword("foreign_key"); fk != nil && fk.Kind == grammar.Atom {
			col = fk.Text
		}
		if s := opts.Keyword("source"); s != nil && s.Kind == grammar.Atom {
			col = s.Text
		}
		es.Fields = append(es.Fields, &Field{Name: col, Column: col, Type: "belongs_to", Start: n.Start, End: n.End})
	case "timestamps":
		ins, upd := "inserted_at", "updated_at"
		if v := opts.Keyword("inserted_at"); v != nil {
			ins = atomOrFalse(v)
		}
		if v := opts.Keyword("updated_at"); v != nil {
			upd = atomOrFalse(v)
		}
		for _, c := range []string{ins, upd} {
			if c != "" {
				es.Fields = append(es.Fields, &Field{Name: c, Column: c, Type: "timestamps", Start: n.Start, End: n.End})
			}
		}
	}
}

func lastKeywords(n *grammar.Node) *grammar.Node {
	if len(n.Args) > 0 && n.Args[len(n.Args)-1].Kind == grammar.Keywords {
		return n.Args[len(n.Args)-1]
	}
	return nil
}

func atomOrFalse(v *grammar.Node) string {
	if v.Kind == grammar.Atom {
		return v.Text
	}
	return ""
}

func source(n *grammar.Node) string {
	switch n.Kind {
	case grammar.Atom:
		return ":" + n.Text
	case grammar.Alias:
		return n.Text
	}
	return strings.TrimSpace(n.Text)
}
