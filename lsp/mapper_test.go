package lsp

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf16"

	"go.lsp.dev/protocol"
)

func p(line, char uint32) protocol.Position { return protocol.Position{Line: line, Character: char} }

// Offsets and positions that must round-trip exactly.
func TestMapperRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		text   string
		offset int
		pos    protocol.Position
	}{
		{"abc", 0, p(0, 0)},
		{"abc", 3, p(0, 3)}, // end of text without a final newline
		{"a\nb", 2, p(1, 0)},
		{"a\n", 2, p(1, 0)}, // the empty last line
		{"é=1", 2, p(0, 1)}, // é: 2 bytes, 1 UTF-16 unit
		{"é=1", 3, p(0, 2)},
		{"𐐀x", 4, p(0, 2)}, // 𐐀: 4 bytes, a surrogate pair
		{"𐐀x", 5, p(0, 3)},
		{"a\r\nb", 1, p(0, 1)}, // CRLF: \r ends line 0's content
		{"a\r\nb", 3, p(1, 0)},
		{"x\r\n\r\né𐐀\r\n", 5, p(2, 0)},
		{"x\r\n\r\né𐐀\r\n", 11, p(2, 3)},
		{"  create index(:users) # é\n", 12, p(0, 12)},
	} {
		m := NewMapper([]byte(tc.text))
		got, err := m.OffsetPosition(tc.offset)
		if err != nil || got != tc.pos {
			t.Errorf("%q: OffsetPosition(%d) = %v, %v; want %v", tc.text, tc.offset, got, err, tc.pos)
		}
		off, err := m.PositionOffset(tc.pos)
		if err != nil || off != tc.offset {
			t.Errorf("%q: PositionOffset(%v) = %d, %v; want %d", tc.text, tc.pos, off, err, tc.offset)
		}
	}
}

// Positions that do not name an offset exactly are clamped or rounded,
// never a panic.
func TestMapperClamps(t *testing.T) {
	for _, tc := range []struct {
		text   string
		pos    protocol.Position
		offset int
	}{
		{"abc\ndef", p(0, 99), 3},   // past the end of the line: its end
		{"abc\r\ndef", p(0, 4), 3},  // never between \r and \n
		{"abc\r\ndef", p(0, 99), 3}, //
		{"abc", p(1, 0), 3},         // the line just past the last one: end of text (Neovim)
		{"abc\n", p(2, 5), 4},       //
		{"𐐀x", p(0, 1), 0},          // inside a surrogate pair: start of the character
		{"é\xffz", p(0, 2), 3},      // an invalid byte counts one unit, like U+FFFD
		{"", p(0, 0), 0},            //
		{"", p(0, 7), 0},            //
	} {
		m := NewMapper([]byte(tc.text))
		off, err := m.PositionOffset(tc.pos)
		if err != nil || off != tc.offset {
			t.Errorf("%q: PositionOffset(%v) = %d, %v; want %d", tc.text, tc.pos, off, err, tc.offset)
		}
	}
	// Inside a multi-byte character: the position of its start.
	m := NewMapper([]byte("a𐐀b"))
	if got, err := m.OffsetPosition(3); err != nil || got != p(0, 1) {
		t.Errorf("OffsetPosition inside 𐐀 = %v, %v", got, err)
	}
}

func TestMapperErrors(t *testing.T) {
	m := NewMapper([]byte("abc\ndef"))
	if _, err := m.PositionOffset(p(5, 0)); err == nil {
		t.Error("a line far past the end must be an error")
	}
	for _, off := range []int{-1, 8, 1 << 30} {
		if _, err := m.OffsetPosition(off); err == nil {
			t.Errorf("OffsetPosition(%d) must fail", off)
		}
	}
	if _, err := m.OffsetRange(3, 2); err == nil {
		t.Error("a reversed offset range must fail")
	}
	// A reversed position range is reordered.
	s, e, err := m.RangeOffsets(protocol.Range{Start: p(1, 2), End: p(0, 1)})
	if err != nil || s != 1 || e != 6 {
		t.Errorf("RangeOffsets(reversed) = %d, %d, %v", s, e, err)
	}
}

// TestMapperAgainstNaive compares every offset of random texts with an
// independent UTF-16 computation.
func TestMapperAgainstNaive(t *testing.T) {
	pieces := []string{"a", "é", "𐐀", "\n", "\r\n", " ", "create index(", "中"}
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 200; n++ {
		var b strings.Builder
		for i := rng.Intn(40); i > 0; i-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		text := b.String()
		m := NewMapper([]byte(text))
		for off := 0; off <= len(text); off++ {
			if off < len(text) && !isRuneStart(text[off]) {
				continue
			}
			want := naive(text, off)
			got, err := m.OffsetPosition(off)
			if err != nil || got != want {
				t.Fatalf("%q: OffsetPosition(%d) = %v, %v; want %v", text, off, got, err, want)
			}
			if off > 0 && text[off-1] == '\r' && off < len(text) && text[off] == '\n' {
				continue // between \r and \n: not a position a client can name
			}
			back, err := m.PositionOffset(want)
			if err != nil || back != off {
				t.Fatalf("%q: PositionOffset(%v) = %d, %v; want %d", text, want, back, err, off)
			}
		}
	}
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// naive counts lines and UTF-16 units the slow, obvious way.
func naive(text string, off int) protocol.Position {
	before := text[:off]
	line := strings.Count(before, "\n")
	col := len(utf16.Encode([]rune(before[strings.LastIndex(before, "\n")+1:])))
	return p(uint32(line), uint32(col))
}

func TestApplyChanges(t *testing.T) {
	r := func(l1, c1, l2, c2 uint32) *protocol.Range { return &protocol.Range{Start: p(l1, c1), End: p(l2, c2)} }
	text := "é𐐀x\r\nline2\n"
	got, edits, full, err := applyChanges([]byte(text), NewMapper([]byte(text)), []contentChange{
		{Range: r(0, 3, 0, 4), Text: "Y"},       // replace x (after é and the surrogate pair)
		{Range: r(1, 0, 1, 0), Text: "→"},       // insert, relative to the previous result
		{Range: r(1, 6, 2, 0), Text: "\r\nend"}, // replace the final newline
	})
	if err != nil || full {
		t.Fatal(err, full)
	}
	if want := "é𐐀Y\r\n→line2\r\nend"; string(got) != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	if len(edits) != 3 || edits[0].Start != 6 || edits[0].End != 7 {
		t.Errorf("edits = %+v", edits)
	}
	// A change without a range replaces everything, even under incremental sync.
	got, _, full, err = applyChanges([]byte("old"), nil, []contentChange{{Text: "new"}, {Range: r(0, 3, 0, 3), Text: "!"}})
	if err != nil || !full || string(got) != "new!" {
		t.Errorf("full change: %q %v %v", got, full, err)
	}
	// Out of range: an error, nothing applied.
	if _, _, _, err := applyChanges([]byte("a"), nil, []contentChange{{Range: r(9, 0, 9, 0), Text: "x"}}); err == nil {
		t.Error("a change far past the end must fail")
	}
}
