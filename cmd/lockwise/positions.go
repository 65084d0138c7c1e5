package main

import (
	"unicode/utf8"

	"github.com/lockwise/lockwise/grammar"
)

// position converts a byte offset of a file into the CLI's coordinates: a
// 1-based line and a 1-based column counted in characters (Unicode code
// points), so that "é" and "𐐀" each count as one column. Offsets past the
// end of the text are clamped.
func position(lines *grammar.Lines, off int) (line, col int) {
	if off < 0 {
		off = 0
	}
	l, byteCol := lines.Position(off)
	text := lines.Text(l)
	if byteCol > len(text) {
		byteCol = len(text) // inside the line ending
	}
	return l + 1, utf8.RuneCount(text[:byteCol]) + 1
}

// span is a range in CLI coordinates.
type span struct {
	Line, Col, EndLine, EndCol int
}

// spanOf converts the byte range [start, end) of a file; an empty or
// inverted range becomes the start position.
func spanOf(lines *grammar.Lines, start, end int) span {
	var s span
	s.Line, s.Col = position(lines, start)
	if end < start {
		end = start
	}
	s.EndLine, s.EndCol = position(lines, end)
	return s
}
