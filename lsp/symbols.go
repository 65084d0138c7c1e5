package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// Document symbols: the module, its callbacks and their operations, as a
// tree when the client supports it, else flattened with container names.

func (s *server) DocumentSymbol(ctx context.Context, p *protocol.DocumentSymbolParams) ([]interface{}, error) {
	out := []interface{}{}
	snap, err := s.snapshotOf(ctx, string(p.TextDocument.URI))
	if snap == nil {
		return out, err
	}
	if s.life.clientCaps().hierarchicalSymbols {
		for _, sym := range documentSymbols(snap.mapper, snap.details().Symbols) {
			out = append(out, sym)
		}
		return out, nil
	}
	for _, info := range symbolInformation(snap, snap.details().Symbols, "") {
		out = append(out, info)
	}
	return out, nil
}

func documentSymbols(m *Mapper, syms []Symbol) []protocol.DocumentSymbol {
	out := make([]protocol.DocumentSymbol, 0, len(syms))
	for _, sym := range syms {
		out = append(out, protocol.DocumentSymbol{
			Name:           sym.Name,
			Detail:         sym.Detail,
			Kind:           symbolKind(sym.Kind),
			Range:          m.clampRange(sym.Start, sym.End),
			SelectionRange: m.clampRange(sym.NameStart, sym.NameEnd),
			Children:       documentSymbols(m, sym.Children),
		})
	}
	return out
}

func symbolInformation(snap *snapshot, syms []Symbol, container string) []protocol.SymbolInformation {
	var out []protocol.SymbolInformation
	for _, sym := range syms {
		out = append(out, protocol.SymbolInformation{
			Name:          sym.Name,
			Kind:          symbolKind(sym.Kind),
			Location:      protocol.Location{URI: protocol.DocumentURI(snap.uri), Range: snap.mapper.clampRange(sym.Start, sym.End)},
			ContainerName: container,
		})
		out = append(out, symbolInformation(snap, sym.Children, sym.Name)...)
	}
	return out
}

func symbolKind(k SymbolKind) protocol.SymbolKind {
	switch k {
	case SymbolModule:
		return protocol.SymbolKindModule
	case SymbolFunction:
		return protocol.SymbolKindFunction
	case SymbolTable:
		return protocol.SymbolKindStruct
	case SymbolColumn:
		return protocol.SymbolKindField
	default:
		return protocol.SymbolKindEvent // an operation: something that happens to the database
	}
}
