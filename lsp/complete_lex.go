package lsp

import "strings"

// A small Elixir lexer for completion. It reads the text from the start
// of the file up to the cursor and tracks the calls the cursor is inside:
// parenthesised calls, calls without parentheses (`add :x, :string, ...`
// up to the end of the line), lists and do...end blocks. It never fails:
// unbalanced text (the file being typed) just leaves frames open, which is
// what completion needs.

type token struct {
	kind byte // 'i' identifier, 'k' keyword key (`null:`), 'a' atom, 's' string, 'n' number, 'p' punctuation, 'o' operator, '\n'
	text string
	// paren: an identifier directly followed by "("; space: followed by
	// blanks (a call without parentheses may follow).
	paren, space bool
	start, end   int
}

// lexFrame is one construct the cursor is inside.
type lexFrame struct {
	open byte   // '(' '[' '{', 'L' (a call without parentheses), 'D' (a do block)
	call string // the called name of '(' and 'L'; for 'D', the call that opened the block
	arg  int    // commas seen at this level
	keys map[string]bool
	// firstAtom is the first argument when it is an atom or a string
	// (`index(:users, ...)`), firstTable when it is `table(:name)`
	// (`alter table(:users) do`, `rename table(:users), ...`).
	firstAtom, firstTable string
	table                 string // 'D': the firstTable of the call that opened the block
}

// lexed is the context of the cursor.
type lexed struct {
	offset int
	frames []*lexFrame
	// partial is the token being typed at the cursor (kind 0 when the
	// cursor follows a blank or punctuation: start = end = offset).
	partial token
	// afterKey is set when the partial token is the value of `key: `.
	afterKey string
}

func (cx *lexed) top() *lexFrame { return cx.frames[len(cx.frames)-1] }

func (cx *lexed) parent() *lexFrame {
	if len(cx.frames) < 2 {
		return nil
	}
	return cx.frames[len(cx.frames)-2]
}

// blockTable returns the table of the innermost do block when one of calls
// opened it (`alter table(:users) do`).
func (cx *lexed) blockTable(calls ...string) string {
	for i := len(cx.frames) - 1; i >= 0; i-- {
		if f := cx.frames[i]; f.open == 'D' {
			for _, c := range calls {
				if f.call == c {
					return f.table
				}
			}
			return ""
		}
	}
	return ""
}

// lexContext lexes text up to offset. It returns nil when the cursor is
// inside a comment, a sigil or a heredoc: nothing to complete there.
func lexContext(text []byte, offset int) *lexed {
	toks, partial, ok := tokenize(text, offset)
	if !ok {
		return nil
	}
	cx := &lexed{offset: offset, partial: partial, frames: []*lexFrame{{open: 'D', call: "file"}}}
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		var next *token
		switch {
		case k+1 < len(toks):
			next = &toks[k+1]
		case partial.kind != 0:
			next = &partial
		default:
			// Nothing typed yet after `modify `: an argument starts at
			// the cursor.
			next = &token{kind: 'a'}
		}
		cx.feed(t, prevToken(toks, k), next)
		if t.kind == 'i' && t.paren {
			k++ // the "(" is part of the call
		}
	}
	if partial.kind != 0 || len(toks) > 0 {
		if p := prevToken(toks, len(toks)); p != nil && p.kind == 'k' {
			cx.afterKey = p.text
		}
	}
	return cx
}

func prevToken(toks []token, k int) *token {
	for k--; k >= 0; k-- {
		if toks[k].kind != '\n' {
			return &toks[k]
		}
	}
	return nil
}

func (cx *lexed) push(f *lexFrame) { cx.frames = append(cx.frames, f) }

// pop removes the top frame; the file frame stays.
func (cx *lexed) pop() *lexFrame {
	if len(cx.frames) == 1 {
		return nil
	}
	f := cx.top()
	cx.frames = cx.frames[:len(cx.frames)-1]
	if f.open == '(' && f.call == "table" {
		// table(:t) as the first argument of the enclosing call.
		if p := cx.top(); p.arg == 0 && p.firstTable == "" {
			p.firstTable = f.firstAtom
		}
	}
	return f
}

func (cx *lexed) feed(t token, prev, next *token) {
	top := cx.top()
	switch t.kind {
	case 'i':
		switch t.text {
		case "do":
			// The call without parentheses that heads the block ends here.
			var head *lexFrame
			for cx.top().open == 'L' {
				head = cx.pop()
			}
			b := &lexFrame{open: 'D'}
			if head != nil {
				b.call, b.table = head.call, head.firstTable
			}
			cx.push(b)
			return
		case "fn":
			cx.push(&lexFrame{open: 'D', call: "fn"})
			return
		case "end":
			for len(cx.frames) > 1 {
				if cx.pop().open == 'D' {
					break
				}
			}
			return
		}
		switch {
		case t.paren:
			cx.push(&lexFrame{open: '(', call: t.text})
		case t.space && next != nil && startsArgument(*next):
			cx.push(&lexFrame{open: 'L', call: t.text})
		}
	case 'k':
		if top.keys == nil {
			top.keys = map[string]bool{}
		}
		top.keys[t.text] = true
	case 'a', 's':
		if top.arg == 0 && top.firstAtom == "" {
			top.firstAtom = t.text
		}
	case 'p':
		switch t.text {
		case "(", "[", "{":
			cx.push(&lexFrame{open: t.text[0]})
		case ")", "]", "}":
			want := map[string]byte{")": '(', "]": '[', "}": '{'}[t.text]
			for len(cx.frames) > 1 {
				f := cx.top()
				if f.open == 'D' {
					break // unbalanced: keep the block
				}
				cx.pop()
				if f.open == want {
					break
				}
			}
		case ",":
			top.arg++
		}
	case '\n':
		// A call without parentheses ends with its line, unless the line
		// ends with a comma or an operator (the arguments go on).
		if prev != nil && (prev.kind == 'p' && prev.text == "," || prev.kind == 'o' || prev.kind == 'k') {
			return
		}
		for cx.top().open == 'L' {
			cx.pop()
		}
	}
}

// startsArgument reports whether t can begin the first argument of a call
// without parentheses (`add :x`, `execute "..."`, `create table(...)`).
func startsArgument(t token) bool {
	switch t.kind {
	case 'a', 's', 'n':
		return true
	case 'i':
		switch t.text {
		case "do", "end", "when", "and", "or", "in", "not", "else", "after", "rescue", "catch":
			return false
		}
		return true
	case 'p':
		return t.text == "[" || t.text == "{"
	case 'o':
		return t.text == "@" || t.text == "%" || t.text == "&" || t.text == "^"
	}
	return false
}

// tokenize splits text[:offset] into tokens. The token touching the
// cursor is returned apart as partial (it may extend past the cursor: the
// whole word is replaced). ok is false when the cursor is inside a comment,
// a heredoc or a sigil.
func tokenize(text []byte, offset int) (toks []token, partial token, ok bool) {
	s := string(text)
	n := len(s)
	partial = token{start: offset, end: offset}
	i := 0
	for i < offset {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
			if len(toks) > 0 && toks[len(toks)-1].end == i-1 {
				toks[len(toks)-1].space = true
			}
		case c == '\n':
			toks = append(toks, token{kind: '\n', start: i, end: i + 1})
			i++
		case c == '#':
			end := strings.IndexByte(s[i:], '\n')
			if end < 0 || i+end >= offset {
				return nil, partial, false // in a comment
			}
			i += end
		case c == '"' || c == '\'':
			if strings.HasPrefix(s[i:], `"""`) || strings.HasPrefix(s[i:], `'''`) {
				end := strings.Index(s[i+3:], s[i:i+3])
				if end < 0 || i+3+end+3 > offset {
					return nil, partial, false // in a heredoc
				}
				toks = append(toks, token{kind: 's', start: i, end: i + 3 + end + 3})
				i += 3 + end + 3
				continue
			}
			end := closingQuote(s, i+1, c)
			if end < 0 || end >= offset {
				// The cursor is inside this string: its content so far.
				partial = token{kind: 's', text: s[i+1 : offset], start: i + 1, end: offset}
				if end >= 0 {
					partial.end = end
				}
				return toks, partial, true
			}
			toks = append(toks, token{kind: 's', text: s[i+1 : end], start: i, end: end + 1})
			i = end + 1
		case c == '~' && i+1 < n && isLetter(s[i+1]):
			end := sigilEnd(s, i)
			if end < 0 || end > offset {
				return nil, partial, false // in a sigil
			}
			toks = append(toks, token{kind: 's', start: i, end: end})
			i = end
		case c == ':' && i+1 < n && s[i+1] == ':':
			toks = append(toks, token{kind: 'o', text: "::", start: i, end: i + 2})
			i += 2
		case c == ':' && (i+1 >= n || isIdentStart(s[i+1]) || i+1 == offset):
			end := identEnd(s, i+1)
			if end >= offset {
				return toks, token{kind: 'a', text: s[i+1 : end], start: i, end: end}, true
			}
			toks = append(toks, token{kind: 'a', text: s[i+1 : end], start: i, end: end})
			i = end
		case c == ':' && i+1 < n && s[i+1] == '"':
			end := closingQuote(s, i+2, '"')
			if end < 0 || end >= offset {
				return toks, token{kind: 'a', text: s[i+2 : offset], start: i, end: offset}, true
			}
			toks = append(toks, token{kind: 'a', text: s[i+2 : end], start: i, end: end + 1})
			i = end + 1
		case isIdentStart(c):
			end := identEnd(s, i)
			if end >= offset {
				return toks, token{kind: 'i', text: s[i:end], start: i, end: end}, true
			}
			if s[end] == ':' && (end+1 >= n || s[end+1] == ' ' || s[end+1] == '\n' || s[end+1] == '\t' || s[end+1] == '\r') {
				if end+1 >= offset {
					return toks, token{kind: 'k', text: s[i:end], start: i, end: end + 1}, true
				}
				toks = append(toks, token{kind: 'k', text: s[i:end], start: i, end: end + 1})
				i = end + 1
				continue
			}
			toks = append(toks, token{kind: 'i', text: s[i:end], start: i, end: end, paren: s[end] == '('})
			i = end
		case c >= '0' && c <= '9':
			end := i
			for end < n && (isIdentChar(s[end]) || s[end] == '.') {
				end++
			}
			toks = append(toks, token{kind: 'n', text: s[i:end], start: i, end: end})
			i = end
		case strings.IndexByte("()[]{},", c) >= 0:
			toks = append(toks, token{kind: 'p', text: s[i : i+1], start: i, end: i + 1})
			i++
		default:
			toks = append(toks, token{kind: 'o', text: s[i : i+1], start: i, end: i + 1})
			i++
		}
	}
	return toks, partial, true
}

// closingQuote returns the index of the quote closing a string whose
// content starts at i, or -1. Escapes are skipped; interpolations are
// taken as text.
func closingQuote(s string, i int, q byte) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i
		case '\n':
			if q == '\'' {
				return -1
			}
		}
	}
	return -1
}

// sigilEnd returns the end of the sigil starting at i (~s(...), ~S"""..."""),
// modifiers included, or -1.
func sigilEnd(s string, i int) int {
	j := i + 2
	for j < len(s) && isLetter(s[j]) {
		j++ // multi-letter sigils (~HTML)
	}
	if j >= len(s) {
		return -1
	}
	var end int
	if strings.HasPrefix(s[j:], `"""`) || strings.HasPrefix(s[j:], `'''`) {
		k := strings.Index(s[j+3:], s[j:j+3])
		if k < 0 {
			return -1
		}
		end = j + 3 + k + 3
	} else {
		closer := map[byte]byte{'(': ')', '[': ']', '{': '}', '<': '>'}[s[j]]
		if closer == 0 {
			closer = s[j]
		}
		k := j + 1
		for k < len(s) && s[k] != closer {
			if s[k] == '\\' {
				k++
			}
			k++
		}
		if k >= len(s) {
			return -1
		}
		end = k + 1
	}
	for end < len(s) && isLetter(s[end]) {
		end++ // modifiers
	}
	return end
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isIdentStart(c byte) bool { return isLetter(c) || c == '_' }

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// identEnd returns the end of the identifier starting at i (a trailing ?
// or ! included).
func identEnd(s string, i int) int {
	for i < len(s) && isIdentChar(s[i]) {
		i++
	}
	if i < len(s) && (s[i] == '?' || s[i] == '!') {
		i++
	}
	return i
}
