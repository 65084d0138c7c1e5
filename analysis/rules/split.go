package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
)

// Source helpers of the expand-contract splits: fixes that rewrite part of
// the migration and create the follow-up migrations, with comments saying
// where application code must change between deploys.

// lineSpan widens [start, end) to whole lines, with the final newline.
func lineSpan(m *analysis.Migration, start, end int) (int, int) {
	ls := m.Lines.Start(m.Lines.Line(start))
	last := m.Lines.Line(max(start, end-1))
	le := m.Lines.End(last)
	if le < len(m.File.Src) && m.File.Src[le] == '\r' {
		le++
	}
	if le < len(m.File.Src) && m.File.Src[le] == '\n' {
		le++
	}
	return ls, le
}

// indentOf is the indentation of the line holding off.
func indentOf(m *analysis.Migration, off int) string {
	text := string(m.Lines.Text(m.Lines.Line(off)))
	return text[:len(text)-len(strings.TrimLeft(text, " \t"))]
}

// reindent moves a snippet written at indentation from to indentation to.
func reindent(snippet, from, to string) string {
	lines := strings.Split(snippet, "\n")
	for i, l := range lines {
		if i == 0 {
			continue
		}
		lines[i] = to + strings.TrimPrefix(l, from)
	}
	return to + strings.TrimLeft(lines[0], " \t") + strings.Join(append([]string{""}, lines[1:]...), "\n")
}

// applyLocal applies edits given in file offsets to the snippet src[start:end].
func applyLocal(src []byte, start, end int, edits []analysis.TextEdit) string {
	var b strings.Builder
	pos := start
	for _, e := range edits {
		if e.Start < pos || e.End > end {
			continue
		}
		b.Write(src[pos:e.Start])
		b.WriteString(e.NewText)
		pos = e.End
	}
	b.Write(src[pos:end])
	return b.String()
}

// inChange reports whether an op was written in change/0 (a reversible
// command there reverses itself in the new file too).
func inChange(m *analysis.Migration, op *analysis.Op) bool {
	cb := m.Callbacks["change"]
	return cb != nil && op.Callback == "change" && cb.Start <= op.Start && op.End <= cb.End && len(op.Via) == 0
}

// ownLines reports whether [start, end) is alone on its lines: only
// indentation before it, only space or a comment after it.
func ownLines(m *analysis.Migration, start, end int) bool {
	ls := m.Lines.Start(m.Lines.Line(start))
	if strings.TrimSpace(string(m.File.Src[ls:start])) != "" {
		return false
	}
	le := m.Lines.End(m.Lines.Line(max(start, end-1)))
	after := strings.TrimSpace(string(m.File.Src[end:le]))
	return after == "" || strings.HasPrefix(after, "#")
}
