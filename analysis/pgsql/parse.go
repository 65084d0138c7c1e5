package pgsql

import (
	"errors"
	"sort"
	"strings"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v5"
	"github.com/pganalyze/pg_query_go/v5/parser"
)

// Stmt is one statement of a parsed SQL text.
type Stmt struct {
	// Start and End are byte offsets into the parsed text: Start is the
	// first byte of the statement after any leading space and comments, End
	// is just past its last token (the ';' and trailing comments excluded).
	Start, End int
	// Text is text[Start:End].
	Text string
	// Desc describes the statement; nil when Err is set.
	Desc Description
	// Err is set when PostgreSQL's parser rejects the text; the Stmt then
	// covers the whole text, opaque.
	Err *Error
	// Dynamic is true when the statement holds a placeholder anywhere.
	Dynamic bool
	// Literals are the string constants of the statement, in order
	// (used to spot an enum value used in the transaction that added it).
	Literals []Literal
}

// Error is a parse error.
type Error struct {
	Message string
	// Offset is the byte offset in the parsed text where the parser
	// stopped; the start of the statement when PostgreSQL gives no position.
	Offset int
	// Code is the SQLSTATE PostgreSQL sends for this error when it is
	// known: "42601" (syntax_error) for grammar errors, "0A000"
	// (feature_not_supported) for the checks the grammar makes itself, such
	// as "EXCLUDE constraints cannot be marked NOT VALID". These are errors
	// the server raises when the statement is sent, before it runs.
	Code string
}

func (e *Error) Error() string { return e.Message }

// Parse splits text into statements and describes each one. Comments and
// PL/pgSQL bodies between $$ are handled by PostgreSQL's own lexer. A text
// the parser rejects gives one statement covering it (trimmed of
// surrounding white space), with Err set and no Desc. Empty text, or text
// holding only comments, gives no statement. Parse never panics.
func Parse(text string) []Stmt {
	// The C parser stops at a NUL byte; PostgreSQL rejects them anyway.
	// Replacing them keeps every offset valid.
	src := strings.ReplaceAll(text, "\x00", " ")
	tree, err := pg.Parse(src)
	if err != nil {
		return []Stmt{opaque(text, err)}
	}
	// Comments are the only reason to trim with the lexer's tokens: text
	// without comment markers (all SQL lowered from the DSL) is trimmed of
	// white space alone, which saves a second pass of the C lexer.
	var tokens []span
	if strings.Contains(src, "--") || strings.Contains(src, "/*") {
		tokens = tokenSpans(src)
	}
	var out []Stmt
	for _, raw := range tree.GetStmts() {
		start := clamp(int(raw.GetStmtLocation()), len(text))
		end := len(text)
		if raw.GetStmtLen() > 0 {
			end = clamp(start+int(raw.GetStmtLen()), len(text))
		}
		start, end = trim(src, start, end, tokens)
		s := Stmt{Start: start, End: end, Text: text[start:end]}
		s.Desc = describe(raw.GetStmt())
		s.Dynamic = IsDynamic(s.Text)
		s.Literals = literalsIn(raw.GetStmt())
		out = append(out, s)
	}
	return out
}

// opaque builds the single statement returned for text the parser rejects.
func opaque(text string, err error) Stmt {
	start, end := trimSpace(text)
	s := Stmt{Start: start, End: end, Text: text[start:end], Dynamic: IsDynamic(text)}
	e := &Error{Message: err.Error(), Offset: start}
	var perr *parser.Error
	if errors.As(err, &perr) {
		if perr.Cursorpos > 0 {
			e.Offset = byteOffset(text, perr.Cursorpos-1)
		}
		e.Code = sqlstateOf(perr)
	}
	s.Err = e
	return s
}

// sqlstateOf gives the SQLSTATE of the grammar errors whose code is known.
func sqlstateOf(e *parser.Error) string {
	switch {
	case e.Funcname == "processCASbits":
		// "... constraints cannot be marked NOT VALID / DEFERRABLE / NO INHERIT"
		return "0A000"
	case strings.HasPrefix(e.Message, "syntax error"),
		strings.HasPrefix(e.Message, "unterminated"),
		strings.HasPrefix(e.Message, "zero-length delimited identifier"):
		return "42601"
	}
	return ""
}

// byteOffset converts a 0-based code-point index into a byte offset in
// text (PostgreSQL's cursor positions count characters), clamped to the
// length of text.
func byteOffset(text string, runes int) int {
	off := 0
	for i := 0; i < runes && off < len(text); i++ {
		_, size := utf8.DecodeRuneInString(text[off:])
		off += size
	}
	return off
}

func clamp(n, limit int) int {
	if n < 0 {
		return 0
	}
	if n > limit {
		return limit
	}
	return n
}

// span is the byte range of one lexical token that is not a comment.
type span struct{ start, end int }

// tokenSpans lists the non-comment tokens of src, in order. It returns nil
// when the scanner fails, and trim then only trims white space.
func tokenSpans(src string) []span {
	res, err := pg.Scan(src)
	if err != nil {
		return nil
	}
	var out []span
	for _, t := range res.GetTokens() {
		if t.GetToken() == pg.Token_SQL_COMMENT || t.GetToken() == pg.Token_C_COMMENT {
			continue
		}
		out = append(out, span{int(t.GetStart()), int(t.GetEnd())})
	}
	return out
}

// trim narrows [start, end) to the tokens inside it, which drops leading
// and trailing white space and comments. Without tokens it trims white
// space only. tokens are sorted, so the first one inside is found by
// binary search: a long script stays linear.
func trim(src string, start, end int, tokens []span) (int, int) {
	i := sort.Search(len(tokens), func(i int) bool { return tokens[i].start >= start })
	first, last := -1, -1
	for ; i < len(tokens) && tokens[i].end <= end; i++ {
		if first < 0 {
			first = tokens[i].start
		}
		last = tokens[i].end
	}
	if first >= 0 {
		return first, last
	}
	s, e := trimSpace(src[start:end])
	return start + s, start + e
}

// trimSpace returns the bounds of text without its leading and trailing
// white space.
func trimSpace(text string) (int, int) {
	start := len(text) - len(strings.TrimLeft(text, " \t\r\n\f\v"))
	end := len(strings.TrimRight(text, " \t\r\n\f\v"))
	if end < start {
		end = start
	}
	return start, end
}
