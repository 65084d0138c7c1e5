package grammar

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Seg maps a run of decoded text back to the file: decoded bytes
// [Out, Out+OutLen) come from file bytes [In, In+InLen). Literal runs have
// OutLen == InLen and map byte for byte; escapes and interpolations do not.
type Seg struct {
	Out, OutLen int
	In, InLen   int
}

// Decoded is the value of a string literal as Elixir computes it (escapes
// resolved, heredoc indentation removed), interpolations replaced by
// placeholders, with a table mapping every decoded byte back to the file.
type Decoded struct {
	Text    string
	Segs    []Seg
	Interps int // number of interpolations replaced by placeholders
}

// FileOffset maps a byte offset of the decoded text to a byte offset of the
// file. Offsets inside an escape or a placeholder map to its start; the end
// of the text maps to the end of the last segment.
func (d Decoded) FileOffset(out int) int {
	if len(d.Segs) == 0 {
		return 0
	}
	// Segments are sorted by Out; binary search the last one starting at or before out.
	lo, hi := 0, len(d.Segs)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.Segs[mid].Out <= out {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	s := d.Segs[lo]
	switch {
	case out >= s.Out+s.OutLen:
		return s.In + s.InLen
	case s.OutLen == s.InLen:
		return s.In + (out - s.Out)
	default:
		return s.In
	}
}

// FileRange maps a range of the decoded text to a range of the file.
func (d Decoded) FileRange(start, end int) Range {
	r := Range{Start: d.FileOffset(start), End: d.FileOffset(end)}
	if end > start && end > 0 {
		// The end is exclusive: map the last byte and step past it so that an
		// escape at the end of the range is covered whole.
		last := d.FileOffset(end - 1)
		for _, s := range d.Segs {
			if end-1 >= s.Out && end-1 < s.Out+s.OutLen {
				if s.OutLen == s.InLen {
					last++
				} else {
					last = s.In + s.InLen
				}
				break
			}
		}
		r.End = last
	}
	if r.End < r.Start {
		r.End = r.Start
	}
	return r
}

// Placeholder produces the text that stands for the i-th interpolation.
type Placeholder func(i int, p Part) string

// Decode computes the string's value. placeholder may be nil, in which case
// interpolations become the empty string.
func (s *Str) Decode(placeholder Placeholder) Decoded {
	var b strings.Builder
	var segs []Seg
	emit := func(text string, in, inLen int) {
		if text == "" && inLen == 0 {
			return
		}
		out := b.Len()
		b.WriteString(text)
		// Coalesce byte-for-byte runs that continue the previous one.
		if n := len(segs); n > 0 && len(text) == inLen {
			p := &segs[n-1]
			if p.OutLen == p.InLen && p.Out+p.OutLen == out && p.In+p.InLen == in {
				p.OutLen += len(text)
				p.InLen += inLen
				return
			}
		}
		segs = append(segs, Seg{Out: out, OutLen: len(text), In: in, InLen: inLen})
	}
	// Heredoc state: skip the rest of the opening line, then strip the
	// closing delimiter's indentation from the start of every line.
	indent := 0
	skipFirstLine := false
	atLineStart := false
	strip := 0
	if s.Heredoc {
		indent = s.closingIndent()
		skipFirstLine = true
	}
	interps := 0
	for _, p := range s.Parts {
		switch p.Kind {
		case Literal:
			v := p.Value
			runStart := -1
			flush := func(i int) {
				if runStart >= 0 {
					emit(v[runStart:i], p.Start+runStart, i-runStart)
					runStart = -1
				}
			}
			for i := 0; i < len(v); i++ {
				c := v[i]
				if skipFirstLine {
					if c == '\n' {
						skipFirstLine = false
						atLineStart, strip = true, indent
					}
					continue
				}
				if atLineStart && strip > 0 && (c == ' ' || c == '\t') {
					flush(i)
					strip--
					continue
				}
				atLineStart = false
				if runStart < 0 {
					runStart = i
				}
				if c == '\n' && s.Heredoc {
					flush(i + 1)
					atLineStart, strip = true, indent
				}
			}
			flush(len(v))
		case Escape:
			skipFirstLine = false
			atLineStart = false
			emit(p.Value, p.Start, p.End-p.Start)
		case Interp:
			skipFirstLine = false
			atLineStart = false
			text := ""
			if placeholder != nil {
				text = placeholder(interps, p)
			}
			interps++
			if text == "" {
				// Keep a zero-length segment so offsets still map near the interpolation.
				segs = append(segs, Seg{Out: b.Len(), In: p.Start, InLen: p.End - p.Start})
				continue
			}
			out := b.Len()
			b.WriteString(text)
			segs = append(segs, Seg{Out: out, OutLen: len(text), In: p.Start, InLen: p.End - p.Start})
		}
	}
	return Decoded{Text: b.String(), Segs: segs, Interps: interps}
}

// closingIndent is the width of the whitespace before the closing heredoc
// delimiter, which Elixir removes from the start of every line.
func (s *Str) closingIndent() int {
	if len(s.Parts) == 0 {
		return 0
	}
	last := s.Parts[len(s.Parts)-1]
	if last.Kind != Literal {
		return 0
	}
	v := last.Value
	nl := strings.LastIndexByte(v, '\n')
	if nl < 0 {
		return 0
	}
	tail := v[nl+1:]
	if strings.Trim(tail, " \t") != "" {
		return 0
	}
	return len(tail)
}

// Static reports whether the string has no interpolation.
func (s *Str) Static() bool {
	for _, p := range s.Parts {
		if p.Kind == Interp {
			return false
		}
	}
	return true
}

// Value is the decoded text with interpolations left empty; ok is false when
// the string has interpolations.
func (s *Str) Value() (string, bool) {
	d := s.Decode(nil)
	return d.Text, d.Interps == 0
}

// unescape resolves one Elixir escape sequence (including the backslash).
func unescape(raw string) string {
	if len(raw) < 2 || raw[0] != '\\' {
		return raw
	}
	c := raw[1]
	switch c {
	case 'n':
		return "\n"
	case 't':
		return "\t"
	case 'r':
		return "\r"
	case 's':
		return " "
	case 'e':
		return "\x1b"
	case '0':
		return "\x00"
	case 'a':
		return "\a"
	case 'b':
		return "\b"
	case 'd':
		return "\x7f"
	case 'f':
		return "\f"
	case 'v':
		return "\v"
	case '\n':
		return "" // line continuation
	case '\r':
		return ""
	case 'x':
		hex := strings.Trim(raw[2:], "{}")
		if v, err := strconv.ParseUint(hex, 16, 32); err == nil {
			if v < 0x80 || strings.HasPrefix(raw[2:], "{") {
				return string(rune(v))
			}
			return string([]byte{byte(v)})
		}
	case 'u':
		hex := strings.Trim(raw[2:], "{}")
		if v, err := strconv.ParseUint(hex, 16, 32); err == nil && utf8.ValidRune(rune(v)) {
			return string(rune(v))
		}
	}
	return raw[1:]
}
