package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// Hover: the engine's hover text for the smallest range under the cursor,
// in markdown or plain text as the client prefers (eglot 1.9 without
// markdown-mode asks for plain text).

func (s *server) Hover(ctx context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	snap, err := s.snapshotOf(ctx, string(p.TextDocument.URI))
	if snap == nil {
		return nil, err
	}
	offset, err := snap.mapper.PositionOffset(p.Position)
	if err != nil {
		s.log.Info("hover outside the text", "uri", snap.uri, "error", err)
		return nil, nil
	}
	h, ok := snap.hoverAt(offset)
	if !ok {
		return nil, nil
	}
	r := snap.mapper.clampRange(h.Start, h.End)
	return &protocol.Hover{Contents: hoverContent(h, s.life.clientCaps().markdownHover), Range: &r}, nil
}

func hoverContent(h Hover, markdown bool) protocol.MarkupContent {
	if markdown && h.Markdown != "" {
		return protocol.MarkupContent{Kind: protocol.Markdown, Value: h.Markdown}
	}
	text := h.Text
	if text == "" {
		text = h.Markdown // readable enough as plain text
	}
	return protocol.MarkupContent{Kind: protocol.PlainText, Value: text}
}
