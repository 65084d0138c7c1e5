package grammar

import "sort"

// Lines maps byte offsets to 0-based line numbers and back. Columns are in
// bytes here; front ends convert them (characters for the CLI, UTF-16 code
// units for LSP) from the line text.
type Lines struct {
	src    []byte
	starts []int // byte offset of the start of each line
}

// NewLines indexes the line starts of src. "\n" ends a line; a "\r" before
// it belongs to the line's content end and is excluded by LineEnd.
func NewLines(src []byte) *Lines {
	starts := make([]int, 1, len(src)/32+1)
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &Lines{src: src, starts: starts}
}

// Count is the number of lines (a text ending in "\n" has an empty last line).
func (l *Lines) Count() int { return len(l.starts) }

// Line returns the 0-based line holding offset off (clamped to the text).
func (l *Lines) Line(off int) int {
	if off < 0 {
		off = 0
	}
	return sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
}

// Start returns the byte offset where line starts (clamped).
func (l *Lines) Start(line int) int {
	if line < 0 {
		return 0
	}
	if line >= len(l.starts) {
		return len(l.src)
	}
	return l.starts[line]
}

// End returns the byte offset of the end of line's content, before "\r\n" or "\n".
func (l *Lines) End(line int) int {
	if line < 0 {
		return 0
	}
	if line+1 >= len(l.starts) {
		return len(l.src)
	}
	e := l.starts[line+1] - 1
	if e > l.starts[line] && l.src[e-1] == '\r' {
		e--
	}
	return e
}

// Text returns the content of line without its line ending.
func (l *Lines) Text(line int) []byte {
	return l.src[l.Start(line):l.End(line)]
}

// Position returns the 0-based line and byte column of off.
func (l *Lines) Position(off int) (line, col int) {
	if off > len(l.src) {
		off = len(l.src)
	}
	line = l.Line(off)
	return line, off - l.starts[line]
}
