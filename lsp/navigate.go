package lsp

import (
	"os"

	"github.com/lockwise/lockwise/analysis/present"
	"github.com/lockwise/lockwise/analysis/workspace"
	"go.lsp.dev/protocol"
)

// Navigation over the workspace model: where a table or column named in
// a migration was created (definition), and every migration command and
// Ecto schema that touches it (references).

// span is a byte range of a file.
type span struct {
	path       string
	start, end int
}

// nameAt returns the table or column name written at offset, ends
// included (a cursor right after the atom still names it).
func (snap *snapshot) nameAt(offset int) (present.NameSite, bool) {
	for _, n := range snap.names {
		if n.Start <= offset && offset <= n.End {
			return n, true
		}
	}
	return present.NameSite{}, false
}

// definitionOf finds where the name written in the migration at path was
// created: the command that created the table, or the sub-command that
// added the column, as replayed in the document's repo. A table created in
// the migration itself counts (the state just after it is searched first),
// then the state before it (a table this migration drops), then the final
// one. Without a migration creating it, the Ecto schemas that map it
// stand in: the schema for a table, the field for a column.
func definitionOf(p *projectModel, path string, site present.NameSite) []span {
	if r := p.ws.RepoOf(path); r != nil {
		for _, st := range []*workspace.State{r.After(path), r.Before(path), r.Final()} {
			t := st.Table(site.Prefix, site.Table)
			if t == nil {
				continue
			}
			o := t.Origin
			if site.Column != "" {
				c := t.Column(site.Column)
				if c == nil {
					continue
				}
				o = c.Origin
			}
			if o.Path != "" {
				return []span{{o.Path, o.Start, o.End}}
			}
		}
	}
	var out []span
	for _, es := range p.ws.EctoSchemas(site.Table) {
		if site.Column == "" {
			out = append(out, span{es.Path, es.Start, es.End})
		} else if f := es.Field(site.Column); f != nil {
			out = append(out, span{es.Path, f.Start, f.End})
		}
	}
	return out
}

// referencesOf lists the migration commands of the document's repo that
// name the table (or column), in the order they run, then the Ecto
// schemas that map it (the fields stored in the column). The declaration
// (the command that created it) is left out unless asked for.
func referencesOf(p *projectModel, path string, site present.NameSite, withDecl bool) []span {
	var out []span
	if r := p.ws.RepoOf(path); r != nil {
		for _, u := range r.Uses(site.Prefix, site.Table, site.Column) {
			if u.Creates && !withDecl {
				continue
			}
			out = append(out, span{u.Path, u.Start, u.End})
		}
	}
	for _, es := range p.ws.EctoSchemas(site.Table) {
		if site.Column == "" {
			out = append(out, span{es.Path, es.Start, es.End})
		} else if f := es.Field(site.Column); f != nil {
			out = append(out, span{es.Path, f.Start, f.End})
		}
	}
	return out
}

// locations converts byte spans into LSP locations. Offsets into another
// file need its text: the open document's (whose URI spelling is the
// client's) or the file on disk.
func (s *server) locations(spans []span) []protocol.Location {
	out := []protocol.Location{}
	texts := map[string]*Mapper{}
	uris := map[string]protocol.DocumentURI{}
	for _, sp := range spans {
		m, ok := texts[sp.path]
		if !ok {
			var text []byte
			uris[sp.path] = pathToURI(sp.path)
			if d := s.docs.byPath(sp.path); d != nil {
				uris[sp.path], text = protocol.DocumentURI(d.uri), d.currentText()
			} else if fi, err := os.Stat(sp.path); err == nil && fi.Size() <= maxRelatedFile {
				text, _ = os.ReadFile(sp.path)
			}
			m = NewMapper(text)
			texts[sp.path] = m
		}
		out = append(out, protocol.Location{URI: uris[sp.path], Range: m.clampRange(sp.start, sp.end)})
	}
	return out
}
