package lsp

import (
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/lockwise/lockwise/grammar"
	"go.lsp.dev/protocol"
)

// Mapper converts between byte offsets into one immutable text and LSP
// positions, whose Character counts UTF-16 code units (v0.12 cannot
// negotiate another encoding, STYLE.md 4.1.1). Byte offsets are canonical
// everywhere else in lockwise; conversions happen only here, at the edge
// (gopls protocol/mapper.go).
//
// Lines end at "\n"; a "\r" before it is part of the line ending. A lone
// "\r" is not a line break: VS Code normalises line endings on open and the
// other clients we support do not produce it.
//
// A Mapper is safe for concurrent use; its line table is built on first use.
type Mapper struct {
	content []byte

	once  sync.Once
	lines *grammar.Lines
}

// NewMapper returns a mapper for content, which must not be modified afterwards.
func NewMapper(content []byte) *Mapper {
	return &Mapper{content: content}
}

// Content returns the mapped text.
func (m *Mapper) Content() []byte { return m.content }

func (m *Mapper) table() *grammar.Lines {
	m.once.Do(func() { m.lines = grammar.NewLines(m.content) })
	return m.lines
}

// OffsetPosition converts a byte offset into a position. An offset inside a
// multi-byte character maps to the start of that character.
func (m *Mapper) OffsetPosition(offset int) (protocol.Position, error) {
	if offset < 0 || offset > len(m.content) {
		return protocol.Position{}, fmt.Errorf("offset %d outside the text (length %d)", offset, len(m.content))
	}
	lines := m.table()
	line := lines.Line(offset)
	start := lines.Start(line)
	col := 0
	for i := start; i < offset; {
		r, w := utf8.DecodeRune(m.content[i:])
		if i+w > offset {
			break // offset is inside this character
		}
		col += utf16Len(r)
		i += w
	}
	return protocol.Position{Line: uint32(line), Character: uint32(col)}, nil
}

// PositionOffset converts a position into a byte offset.
//
// A Character past the end of its line clamps to the end of the line's
// content (LSP: "it defaults back to the line length"), before any "\r\n".
// A Character in the middle of a surrogate pair maps to the start of the
// character. The line just past the last one is accepted as the end of the
// text (Neovim sends it when an edit reaches the implicit final newline);
// lines further out are an error.
func (m *Mapper) PositionOffset(p protocol.Position) (int, error) {
	lines := m.table()
	line := int(p.Line)
	if line >= lines.Count() {
		if line == lines.Count() {
			return len(m.content), nil
		}
		return 0, fmt.Errorf("line %d outside the text (%d lines)", line, lines.Count())
	}
	start, end := lines.Start(line), lines.End(line)
	want := int(p.Character)
	col := 0
	i := start
	for i < end && col < want {
		r, w := utf8.DecodeRune(m.content[i:end])
		n := utf16Len(r)
		if col+n > want {
			break // the position falls between the two halves of a surrogate pair
		}
		col += n
		i += w
	}
	return i, nil
}

// RangeOffsets converts a range into byte offsets. A reversed range is
// reordered rather than rejected.
func (m *Mapper) RangeOffsets(r protocol.Range) (start, end int, err error) {
	if start, err = m.PositionOffset(r.Start); err != nil {
		return 0, 0, err
	}
	if end, err = m.PositionOffset(r.End); err != nil {
		return 0, 0, err
	}
	if end < start {
		start, end = end, start
	}
	return start, end, nil
}

// OffsetRange converts byte offsets into a range.
func (m *Mapper) OffsetRange(start, end int) (protocol.Range, error) {
	if end < start {
		return protocol.Range{}, fmt.Errorf("reversed range [%d, %d)", start, end)
	}
	s, err := m.OffsetPosition(start)
	if err != nil {
		return protocol.Range{}, err
	}
	e, err := m.OffsetPosition(end)
	if err != nil {
		return protocol.Range{}, err
	}
	return protocol.Range{Start: s, End: e}, nil
}

// clampRange converts offsets that have already been clamped to the text.
// It cannot fail; it exists so that callers converting engine results do
// not each handle errors that sanitize has ruled out.
func (m *Mapper) clampRange(start, end int) protocol.Range {
	start = clamp(start, 0, len(m.content))
	end = clamp(end, start, len(m.content))
	r, _ := m.OffsetRange(start, end)
	return r
}

// utf16Len is the number of UTF-16 code units of r. An invalid byte decodes
// as utf8.RuneError and counts one unit, as the U+FFFD an editor shows in its place.
func utf16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
