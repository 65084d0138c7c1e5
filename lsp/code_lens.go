package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// Code lenses carry the per-operation lock hints: protocol v0.12 has no
// inlay hints (STYLE.md 4.1.1). Setting lock_hints: false turns them off.
// Clicking one runs lockwise.explain, which shows the operation's hover.

func (s *server) CodeLens(ctx context.Context, p *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	lenses := []protocol.CodeLens{}
	if !s.settings.get().LockHints {
		return lenses, nil
	}
	snap, err := s.snapshotOf(ctx, string(p.TextDocument.URI))
	if snap == nil {
		return lenses, err
	}
	for _, h := range snap.details().Hints {
		lenses = append(lenses, protocol.CodeLens{
			Range: snap.mapper.clampRange(h.Start, h.End),
			Command: &protocol.Command{
				Title:     h.Label,
				Command:   CommandExplain,
				Arguments: []interface{}{snap.uri, h.Start},
			},
		})
	}
	return lenses, nil
}
