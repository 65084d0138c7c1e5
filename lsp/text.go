package lsp

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/lockwise/lockwise/grammar"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Text synchronisation: didOpen, didChange (incremental), didClose, didSave.

func (s *server) DidOpen(ctx context.Context, p *protocol.DidOpenTextDocumentParams) error {
	uri := string(p.TextDocument.URI)
	path, _ := uriToPath(uri)
	place := s.place(uri, s.settings.get())
	d := newDocument(uri, path, p.TextDocument.Version, []byte(p.TextDocument.Text), place)
	if old := s.docs.open(d); old != nil {
		s.log.Warn("didOpen of a document already open: replacing it", "uri", uri)
		old.close()
	}
	s.log.Debug("opened", "uri", uri, "version", p.TextDocument.Version, "placement", place)
	if !s.goBackground(func(ctx context.Context) { s.runDocument(ctx, d) }) {
		return nil
	}
	d.poke() // lastChange is zero: analysed at once
	return nil
}

func (s *server) didChange(ctx context.Context, raw json.RawMessage) (any, error) {
	var p didChangeParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.TextDocument.Version == nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "didChange without a version")
	}
	d := s.docs.get(p.TextDocument.URI)
	if d == nil {
		return nil, fmt.Errorf("didChange for %s, which is not open", p.TextDocument.URI)
	}
	return nil, d.change(*p.TextDocument.Version, p.ContentChanges)
}

func (s *server) DidClose(ctx context.Context, p *protocol.DidCloseTextDocumentParams) error {
	uri := string(p.TextDocument.URI)
	d := s.docs.remove(uri)
	if d == nil {
		return fmt.Errorf("didClose for %s, which is not open", uri)
	}
	d.close()
	s.publishClosed(d)
	s.revertToDisk(d)
	return nil
}

// DidSave changes nothing the workspace model holds: the saved text is
// the one it already has. Clients that cannot watch files get a rescan of
// the project instead, so that changes made outside the editor show up.
func (s *server) DidSave(ctx context.Context, p *protocol.DidSaveTextDocumentParams) error {
	if s.life.clientCaps().watchFiles {
		return nil
	}
	d := s.docs.get(string(p.TextDocument.URI))
	if d == nil {
		return nil
	}
	if pm := s.index.project(d.projectRoot()); pm != nil {
		s.index.push("rescan "+pm.root, func(ctx context.Context) { s.rescan(pm) })
	}
	return nil
}

// applyChanges applies didChange content changes to text, in order, each
// relative to the result of the previous one. It returns the new text and
// the same changes as byte edits for grammar.Doc.Apply. A change without a
// range replaces the whole text, even under incremental sync (gopls); full
// reports that one did. m maps text (it is rebuilt after each change).
func applyChanges(text []byte, m *Mapper, changes []contentChange) (_ []byte, _ []grammar.Edit, full bool, _ error) {
	var edits []grammar.Edit
	for i, c := range changes {
		if c.Range == nil {
			edits = append(edits, grammar.Edit{Start: 0, End: len(text), Text: []byte(c.Text)})
			text, m, full = []byte(c.Text), nil, true
			continue
		}
		if m == nil {
			m = NewMapper(text)
		}
		start, end, err := m.RangeOffsets(*c.Range)
		if err != nil {
			return nil, nil, false, fmt.Errorf("content change %d: %w", i, err)
		}
		next := make([]byte, 0, len(text)-(end-start)+len(c.Text))
		next = append(next, text[:start]...)
		next = append(next, c.Text...)
		next = append(next, text[end:]...)
		edits = append(edits, grammar.Edit{Start: start, End: end, Text: []byte(c.Text)})
		text, m = next, nil
	}
	return text, edits, full, nil
}
