package present

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/analysis/workspace"
	"github.com/lockwise/lockwise/grammar"
)

// Workspace is what the name features need from the workspace model.
type Workspace interface {
	// View is the schema as the migration at path sees it.
	View(path string) *workspace.View
	// EctoSchemas lists the Ecto schemas mapping a table.
	EctoSchemas(table string) []*workspace.EctoSchema
}

// NameSite is a table or column name written in a migration call.
type NameSite struct {
	Start, End int
	Table      string // the table named, or the table of the column
	Prefix     string
	Column     string // "" for a table name
}

// tableCalls take the table as first argument; columnCalls the column.
var (
	tableCalls  = map[string]bool{"table": true, "index": true, "unique_index": true, "references": true, "constraint": true}
	columnCalls = map[string]bool{"add": true, "add_if_not_exists": true, "modify": true, "remove": true, "remove_if_exists": true}
)

// NameSites lists the table and column names written in the file's
// migration calls (atoms and strings), with the table each belongs to.
func NameSites(f *grammar.File) []NameSite {
	var out []NameSite
	var walk func(n *grammar.Node, table, prefix string)
	walk = func(n *grammar.Node, table, prefix string) {
		if n == nil {
			return
		}
		if n.Kind == grammar.Call && n.Target == nil && len(n.Args) > 0 {
			switch {
			case tableCalls[n.Text]:
				if name, ok := literalName(n.Args[0]); ok {
					p := optPrefix(n)
					out = append(out, NameSite{Start: n.Args[0].Start, End: n.Args[0].End, Table: name, Prefix: p})
					if (n.Text == "index" || n.Text == "unique_index") && len(n.Args) > 1 {
						for _, c := range listItems(n.Args[1]) {
							if col, ok := literalName(c); ok && c.Kind == grammar.Atom {
								out = append(out, NameSite{Start: c.Start, End: c.End, Table: name, Prefix: p, Column: col})
							}
						}
					}
				}
			case columnCalls[n.Text] && table != "":
				if col, ok := literalName(n.Args[0]); ok && n.Args[0].Kind == grammar.Atom {
					out = append(out, NameSite{Start: n.Args[0].Start, End: n.Args[0].End, Table: table, Prefix: prefix, Column: col})
				}
			case (n.Text == "create" || n.Text == "alter" || n.Text == "create_if_not_exists") && n.Do != nil:
				// the block's columns belong to the table of the first argument
				if t := n.Args[0]; t.IsCall("table") && len(t.Args) > 0 {
					if name, ok := literalName(t.Args[0]); ok {
						walk(n.Args[0], table, prefix)
						for _, a := range n.Args[1:] {
							walk(a, table, prefix)
						}
						walk(n.Do, name, optPrefix(t))
						return
					}
				}
			case n.Text == "rename" && len(n.Args) == 3:
				if t := n.Args[0]; t.IsCall("table") && len(t.Args) > 0 {
					if name, ok := literalName(t.Args[0]); ok {
						if col, ok := literalName(n.Args[1]); ok {
							out = append(out, NameSite{Start: n.Args[1].Start, End: n.Args[1].End, Table: name, Prefix: optPrefix(t), Column: col})
						}
					}
				}
			}
		}
		walk(n.Target, table, prefix)
		for _, a := range n.Args {
			walk(a, table, prefix)
		}
		walk(n.Do, table, prefix)
		walk(n.Else, table, prefix)
	}
	walk(f.Root, "", "")
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func literalName(n *grammar.Node) (string, bool) {
	switch n.Kind {
	case grammar.Atom:
		return n.Text, n.Str == nil || n.Str.Static()
	case grammar.String:
		return n.Str.Value()
	}
	return "", false
}

func optPrefix(call *grammar.Node) string {
	if len(call.Args) == 0 {
		return ""
	}
	last := call.Args[len(call.Args)-1]
	if p := last.Keyword("prefix"); p != nil {
		if s, ok := literalName(p); ok {
			return s
		}
	}
	return ""
}

func listItems(n *grammar.Node) []*grammar.Node {
	if n.Kind == grammar.List {
		return n.Args
	}
	return []*grammar.Node{n}
}

// nameHovers shows, over each table or column name, its definition as the
// workspace replayed it before this migration, where it was created, and
// the Ecto schemas that map it.
func nameHovers(res *check.Result, ws Workspace, keep func(start, end int) bool) []Hover {
	m := res.Migration
	var view *workspace.View
	var out []Hover
	for _, s := range NameSites(m.File) {
		if !keep(s.Start, s.End) {
			continue
		}
		if view == nil {
			view = ws.View(m.Path)
		}
		md, txt := NameHover(view, ws, s, m.Path)
		if md != "" {
			out = append(out, Hover{Start: s.Start, End: s.End, Markdown: md, Text: txt})
		}
	}
	return out
}

// NameHover renders what the workspace knows about a table or column.
func NameHover(view *workspace.View, ws Workspace, s NameSite, from string) (string, string) {
	var d doc
	t := view.State.Table(s.Prefix, s.Table)
	if t == nil {
		if s.Column == "" {
			d.line("**table "+s.Table+"** — not created by an earlier migration of this repo (new here, or created outside migrations).",
				"table "+s.Table+": not created by an earlier migration of this repo (new here, or created outside migrations).")
		} else {
			return "", ""
		}
	} else if s.Column == "" {
		d.line("**table "+t.Name+"** (as replayed before this migration)", "table "+t.Name+" (as replayed before this migration)")
		if t.Origin.Path != "" {
			d.line("created in `"+baseName(t.Origin.Path)+"`", "created in "+baseName(t.Origin.Path))
		}
		var cols []string
		for _, c := range t.Columns {
			cols = append(cols, columnLine(c))
		}
		d.code("", strings.Join(cols, "\n"))
		if t.Partial {
			d.line("_Some statements on this table are not known statically: the list may be incomplete._", "Some statements on this table are not known statically: the list may be incomplete.")
		}
		var ixs []string
		for _, ix := range view.State.IndexesOf(t.Schema, t.Name) {
			u := ""
			if ix.Unique {
				u = "unique "
			}
			ixs = append(ixs, fmt.Sprintf("%s%s (%s)", u, ix.Name, strings.Join(ix.Columns, ", ")))
		}
		if len(ixs) > 0 {
			d.line("Indexes: "+strings.Join(ixs, "; "), "Indexes: "+strings.Join(ixs, "; "))
		}
	} else {
		c := t.Column(s.Column)
		if c == nil {
			d.line("**"+t.Name+"."+s.Column+"** — no such column before this migration.", t.Name+"."+s.Column+": no such column before this migration.")
		} else {
			d.line("**column "+t.Name+"."+columnLine(c)+"**", "column "+t.Name+"."+columnLine(c))
			if c.Origin.Path != "" {
				d.line("added in `"+baseName(c.Origin.Path)+"`", "added in "+baseName(c.Origin.Path))
			}
		}
	}
	for _, es := range ws.EctoSchemas(s.Table) {
		if s.Column == "" {
			d.line("Ecto schema: `"+es.Module+"` ("+baseName(es.Path)+")", "Ecto schema: "+es.Module+" ("+baseName(es.Path)+")")
		} else if f := es.Field(s.Column); f != nil {
			d.line("Field `:"+f.Name+"` of `"+es.Module+"` ("+baseName(es.Path)+")", "Field :"+f.Name+" of "+es.Module+" ("+baseName(es.Path)+")")
		}
	}
	return d.strings()
}

func columnLine(c *workspace.Column) string {
	s := c.Name + " " + c.Type
	if c.Type == "" {
		s += "(type unknown)"
	}
	if c.NotNull {
		s += " NOT NULL"
	}
	if c.HasDefault && c.Default != "" {
		s += " DEFAULT " + c.Default
	}
	return s
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
