package lsp

import (
	"context"
	"strings"

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
