package grammar

import (
	"fmt"
	"testing"
)

// firstString returns the first string-like node of src.
func firstString(t *testing.T, src string) (*File, *Node) {
	t.Helper()
	f := Parse([]byte(src))
	var found *Node
	Walk(f.Root, func(n *Node) bool {
		if found == nil && n.Kind == String {
			found = n
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no string in %q", src)
	}
	return f, found
}

func TestDecode(t *testing.T) {
	ph := func(i int, p Part) string { return fmt.Sprintf("$%d", i+1) }
	cases := []struct {
		name, src, want string
		interps         int
	}{
		{"plain", `x = "abc"`, "abc", 0},
		{"escapes", `x = "a\n\t\"b\\c\#{d}"`, "a\n\t\"b\\c#{d}", 0},
		{"unicode escapes", `x = "\u00e9\u{1F600}\x41"`, "é😀A", 0},
		{"interpolation", `x = "a#{b}c#{d.e}"`, "a$1c$2", 2},
		{"heredoc", "x = \"\"\"\n    SELECT 1\n      FROM t\n    \"\"\"", "SELECT 1\n  FROM t\n", 0},
		{"heredoc escape", "x = \"\"\"\n  a\\nb\n  \"\"\"", "a\nb\n", 0},
		{"heredoc interp", "x = \"\"\"\n  UPDATE #{t}\n  SET a = 1\n  \"\"\"", "UPDATE $1\nSET a = 1\n", 1},
		{"sigil S raw", `x = ~S"a\nb#{c}"`, `a\nb#{c}`, 0},
		{"sigil s", `x = ~s(a\nb #{c})`, "a\nb $1", 1},
		{"sigil S heredoc", "x = ~S\"\"\"\n  DROP \\n X\n  \"\"\"", "DROP \\n X\n", 0},
		{"charlist", `x = 'ab\n'`, "ab\n", 0},
		{"line continuation", "x = \"a\\\nb\"", "ab", 0},
		{"empty", `x = ""`, "", 0},
		{"empty heredoc", "x = \"\"\"\n\"\"\"", "", 0},
		{"crlf heredoc", "x = \"\"\"\r\n  A\r\n  \"\"\"", "A\r\n", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, n := firstString(t, c.src)
			d := n.Str.Decode(ph)
			if d.Text != c.want {
				t.Errorf("decoded %q, want %q", d.Text, c.want)
			}
			if d.Interps != c.interps {
				t.Errorf("interps %d, want %d", d.Interps, c.interps)
			}
		})
	}
}

// Every byte of a decoded literal run must map back to the same byte in the file.
func TestDecodeOffsets(t *testing.T) {
	src := "defmodule M do\n  def up do\n    execute \"\"\"\n    CREATE INDEX é_idx\n      ON users (email)\n    \"\"\"\n    execute \"ALTER TABLE \\\"x\\\" ADD y int; #{z} SELECT 1\"\n  end\nend\n"
	f := Parse([]byte(src))
	var strs []*Node
	Walk(f.Root, func(n *Node) bool {
		if n.Kind == String {
			strs = append(strs, n)
		}
		return true
	})
	if len(strs) != 2 {
		t.Fatalf("want 2 strings, got %d", len(strs))
	}
	for _, n := range strs {
		d := n.Str.Decode(func(i int, p Part) string { return "__dyn" })
		for _, s := range d.Segs {
			if s.OutLen != s.InLen {
				continue
			}
			if got, want := d.Text[s.Out:s.Out+s.OutLen], src[s.In:s.In+s.InLen]; got != want {
				t.Errorf("segment %+v: decoded %q but file has %q", s, got, want)
			}
		}
	}
	d := strs[0].Str.Decode(nil)
	i := indexOf(d.Text, "users")
	if got := src[d.FileOffset(i):][:5]; got != "users" {
		t.Errorf("FileOffset(users) points at %q", got)
	}
	d2 := strs[1].Str.Decode(func(int, Part) string { return "__dyn" })
	j := indexOf(d2.Text, "y int")
	r := d2.FileRange(j, j+5)
	if got := src[r.Start:r.End]; got != "y int" {
		t.Errorf("FileRange(y int) = %q", got)
	}
	// "\"x\"" in the decoded text maps to the escaped source \"x\".
	k := indexOf(d2.Text, `"x"`)
	r = d2.FileRange(k, k+3)
	if got := src[r.Start:r.End]; got != `\"x\"` {
		t.Errorf("FileRange over escapes = %q", got)
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
