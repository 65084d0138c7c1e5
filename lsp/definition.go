package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// Go to definition and find references on table and column names written
// in migration calls (navigate.go has the logic).

func (s *server) Definition(ctx context.Context, p *protocol.DefinitionParams) ([]protocol.Location, error) {
	snap, pm, offset, err := s.navigationTarget(ctx, p.TextDocument.URI, p.Position)
	if snap == nil {
		return []protocol.Location{}, err
	}
	site, ok := snap.nameAt(offset)
	if !ok {
		return []protocol.Location{}, nil
	}
	return s.locations(definitionOf(pm, snap.path, site)), nil
}

func (s *server) References(ctx context.Context, p *protocol.ReferenceParams) ([]protocol.Location, error) {
	snap, pm, offset, err := s.navigationTarget(ctx, p.TextDocument.URI, p.Position)
	if snap == nil {
		return []protocol.Location{}, err
	}
	site, ok := snap.nameAt(offset)
	if !ok {
		return []protocol.Location{}, nil
	}
	return s.locations(referencesOf(pm, snap.path, site, p.Context.IncludeDeclaration)), nil
}

// navigationTarget returns the current analysis of a migration, its
// project and the byte offset of pos; a nil snapshot when there is nothing
// to navigate from.
func (s *server) navigationTarget(ctx context.Context, uri protocol.DocumentURI, pos protocol.Position) (*snapshot, *projectModel, int, error) {
	snap, err := s.snapshotOf(ctx, string(uri))
	if snap == nil || !snap.migration {
		return nil, nil, 0, err
	}
	pm := s.index.project(snap.place.project)
	if pm == nil {
		return nil, nil, 0, nil
	}
	offset, err := snap.mapper.PositionOffset(pos)
	if err != nil {
		s.log.Info("position outside the text", "uri", snap.uri, "error", err)
		return nil, nil, 0, nil
	}
	return snap, pm, offset, nil
}
