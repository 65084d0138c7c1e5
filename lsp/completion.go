package lsp

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/lockwise/lockwise/analysis/workspace"
	"go.lsp.dev/protocol"
)

// Completion in migrations (complete.go has the logic). It reads the text
// as typed, without waiting for its analysis: completion must keep up with
// typing, and the names it offers come from the workspace model.

func (s *server) Completion(ctx context.Context, p *protocol.CompletionParams) (*protocol.CompletionList, error) {
	list := &protocol.CompletionList{Items: []protocol.CompletionItem{}}
	d := s.docs.get(string(p.TextDocument.URI))
	if d == nil || !d.isMigration() {
		return list, nil
	}
	text, m, _ := d.current()
	offset, err := m.PositionOffset(p.Position)
	if err != nil {
		s.log.Info("completion outside the text", "uri", d.uri, "error", err)
		return list, nil
	}
	model := workspaceCompletion{p: s.index.project(d.projectRoot()), path: d.path}
	markdown := s.life.clientCaps().markdownCompletion
	for _, c := range complete(text, offset, model) {
		list.Items = append(list.Items, completionItem(m, c, markdown))
	}
	return list, nil
}

func completionItem(m *Mapper, c candidate, markdown bool) protocol.CompletionItem {
	it := protocol.CompletionItem{
		Label:    c.label,
		Kind:     completionKind(c.kind),
		Detail:   c.detail,
		SortText: c.sort + c.label,
		// The client filters on the text in the edited range: a typed
		// ":us" against ":users", a typed "nu" against "null".
		FilterText: c.insert,
		TextEdit:   &protocol.TextEdit{Range: m.clampRange(c.start, c.end), NewText: c.insert},
	}
	if typed := string(m.Content()[c.start:c.end]); !strings.HasPrefix(typed, ":") {
		it.FilterText = strings.TrimPrefix(c.insert, ":")
	}
	if c.doc != "" {
		if markdown {
			it.Documentation = protocol.MarkupContent{Kind: protocol.Markdown, Value: c.doc}
		} else {
			it.Documentation = strings.ReplaceAll(c.doc, "`", "")
		}
	}
	return it
}

func completionKind(k candidateKind) protocol.CompletionItemKind {
	switch k {
	case candTable:
		return protocol.CompletionItemKindStruct
	case candColumn:
		return protocol.CompletionItemKindField
	case candType:
		return protocol.CompletionItemKindTypeParameter
	case candOption:
		return protocol.CompletionItemKindProperty
	default:
		return protocol.CompletionItemKindValue
	}
}

// workspaceCompletion is the completionModel of a migration: the tables
// and columns of its repo as replayed before it and after it (the ones it
// creates itself, from the last version of it that parsed).
type workspaceCompletion struct {
	p    *projectModel // nil: nothing known
	path string
}

func (w workspaceCompletion) states() []*workspace.State {
	if w.p == nil {
		return nil
	}
	r := w.p.ws.RepoOf(w.path)
	if r == nil {
		return nil
	}
	return []*workspace.State{r.Before(w.path), r.After(w.path)}
}

func (w workspaceCompletion) tables() []tableInfo {
	var out []tableInfo
	seen := map[string]bool{}
	for _, st := range w.states() {
		for _, t := range st.Tables() {
			name := t.Name
			if t.Schema != "" && t.Schema != "public" {
				name = t.Schema + "." + t.Name
			}
			if seen[name] {
				continue
			}
			seen[name] = true
			detail := "table"
			if t.Origin.Path != "" {
				detail = "table, created in " + filepath.Base(t.Origin.Path)
			}
			out = append(out, tableInfo{name: t.Name, detail: detail})
		}
	}
	return out
}

func (w workspaceCompletion) columns(table string) []columnInfo {
	var out []columnInfo
	seen := map[string]bool{}
	for _, st := range w.states() {
		t := st.Table("", table)
		if t == nil {
			continue
		}
		for _, c := range t.Columns {
			if seen[c.Name] {
				continue
			}
			seen[c.Name] = true
			detail := c.Type
			if detail == "" {
				detail = "type unknown"
			}
			if c.NotNull {
				detail += " NOT NULL"
			}
			out = append(out, columnInfo{name: c.Name, detail: detail})
		}
	}
	return out
}

func (w workspaceCompletion) schemaFields(table string) []columnInfo {
	if w.p == nil {
		return nil
	}
	var out []columnInfo
	for _, es := range w.p.ws.EctoSchemas(table) {
		for _, f := range es.Fields {
			out = append(out, columnInfo{name: f.Column, detail: "field :" + f.Name + " " + f.Type + " of " + es.Module})
		}
	}
	return out
}
