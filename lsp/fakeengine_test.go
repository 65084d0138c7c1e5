package lsp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/grammar"
)

// fakeEngine stands in for the analysis engine. It is deliberately simple
// and predictable:
//
//   - a diagnostic "index-not-concurrently" on every line containing
//     `create index(` without `concurrently`, unless the line before holds
//     `lockwise:disable-next-line index-not-concurrently`; it has a quick
//     fix (add concurrently: true), a suppression, and an expand-contract
//     split that deletes the line and creates a new migration file;
//   - hovers on those operations and on their table atom, plus one hover
//     over the whole text reporting its length and SHA-256 (tests use it to
//     check the server's copy of the text);
//   - symbols from the grammar.File (module, functions, operations): this
//     checks that the incrementally parsed tree reached the engine intact;
//   - one lock hint per `create index(` line.
type fakeEngine struct {
	delay  time.Duration // per run, honouring cancellation
	calls  atomic.Int64
	panics string // panic when the text contains this
}

const fakeRule = "index-not-concurrently"

var fakeTable = regexp.MustCompile(`index\(:([^,\s)]+)`)

func (e *fakeEngine) Analyze(ctx context.Context, in AnalyzeInput) *Analysis {
	e.calls.Add(1)
	if e.panics != "" && bytes.Contains(in.Text, []byte(e.panics)) {
		panic("fake engine asked to panic")
	}
	if e.delay > 0 {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(e.delay):
		}
	}
	return fakeAnalyze(in)
}

// fakeAnalyze is the pure part, also used to compute expectations.
func fakeAnalyze(in AnalyzeInput) *Analysis {
	a := &Analysis{}
	text := in.Text
	sum := sha256.Sum256(text)
	digest := fmt.Sprintf("bytes=%d sha256=%x", len(text), sum[:8])
	a.Hovers = append(a.Hovers, Hover{Start: 0, End: len(text), Markdown: "**text** " + digest, Text: "text " + digest})

	severity := analysis.Warning
	if s, ok := in.Settings.Rules[fakeRule]; ok {
		severity = s
	}
	moduleLine := bytes.Index(text, []byte("defmodule"))

	lines := grammar.NewLines(text)
	for ln := 0; ln < lines.Count(); ln++ {
		line := string(lines.Text(ln))
		col := strings.Index(line, "create index(")
		if col < 0 {
			continue
		}
		start := lines.Start(ln) + col
		code := line // the operation ends before a trailing comment (markers live there)
		if c := strings.Index(line[col:], " #"); c >= 0 {
			code = line[:col+c]
		}
		end := lines.Start(ln) + len(code)
		table := "?"
		if m := fakeTable.FindStringSubmatch(code); m != nil {
			table = m[1]
		}
		concurrent := strings.Contains(code, "concurrently")
		lock, effect := "SHARE", "blocks writes while the index builds"
		if concurrent {
			lock, effect = "SHARE UPDATE EXCLUSIVE", "reads and writes continue"
		}
		a.Hovers = append(a.Hovers, Hover{
			Start: start, End: end,
			Markdown: fmt.Sprintf("**%s lock** on `%s`: %s.", lock, table, effect),
			Text:     fmt.Sprintf("%s lock on %s: %s.", lock, table, effect),
		})
		if t := strings.Index(code, ":"+table); t >= 0 {
			ts := lines.Start(ln) + t
			a.Hovers = append(a.Hovers, Hover{Start: ts, End: ts + 1 + len(table), Markdown: "table `" + table + "`"})
		}
		a.Hints = append(a.Hints, Hint{Start: start, End: end, Label: fmt.Sprintf("%s on %s · %s", lock, table, effect)})

		if concurrent || severity == analysis.Off {
			continue
		}
		if ln > 0 && strings.Contains(string(lines.Text(ln-1)), "lockwise:disable-next-line "+fakeRule) {
			continue
		}
		d := analysis.Diagnostic{
			Rule: fakeRule, Severity: severity, Start: start, End: end,
			Message:        fmt.Sprintf("index on %s built without CONCURRENTLY: SHARE lock blocks writes", table),
			URL:            "https://lockwise.dev/rules/" + fakeRule,
			Classification: analysis.Risky, Lock: "SHARE", Table: table,
		}
		if moduleLine >= 0 {
			d.Related = []analysis.Related{{Start: moduleLine, End: moduleLine + len("defmodule"), Message: "in this migration"}}
		}
		if close := closingParen(text, lines.Start(ln)+col+len("create index")); close >= 0 {
			d.Fixes = append(d.Fixes, analysis.Fix{
				Title: "Add concurrently: true", Kind: analysis.QuickFix,
				Edits: []analysis.TextEdit{{Start: close, End: close, NewText: ", concurrently: true"}},
			})
		}
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		d.Fixes = append(d.Fixes, analysis.Fix{
			Title: "Suppress " + fakeRule + " on this line", Kind: analysis.Suppress,
			Edits: []analysis.TextEdit{{Start: lines.Start(ln), End: lines.Start(ln),
				NewText: indent + "# lockwise:disable-next-line " + fakeRule + " -- reason\n"}},
		})
		name := splitName(in.Path, table)
		d.Fixes = append(d.Fixes, analysis.Fix{
			Title: "Move the index to a new migration", Kind: analysis.RefactorSplit,
			Edits: []analysis.TextEdit{{Start: lines.Start(ln), End: lines.Start(ln + 1), NewText: ""}},
			NewFiles: []analysis.NewFile{{Name: name, Content: fmt.Sprintf(
				"defmodule Split.Migrations.Index%s do\n  use Ecto.Migration\n  @disable_ddl_transaction true\n  @disable_migration_lock true\n\n  def change do\n    %s\n  end\nend\n",
				camel(table), strings.TrimSpace(code[col:]))}},
		})
		a.Diagnostics = append(a.Diagnostics, d)
	}
	a.Symbols = fakeSymbols(in.File)
	return a
}

// closingParen finds the ")" closing the "(" at open, or -1.
func closingParen(text []byte, open int) int {
	depth := 0
	for i := open; i < len(text); i++ {
		switch text[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		case '\n':
			return -1
		}
	}
	return -1
}

// splitName is the new migration's file name: the next version after the
// document's own.
func splitName(path, table string) string {
	version := int64(20240101000000)
	base := filepath.Base(path)
	if i := strings.IndexByte(base, '_'); i == 14 {
		if v, err := strconv.ParseInt(base[:14], 10, 64); err == nil {
			version = v
		}
	}
	return fmt.Sprintf("%d_index_%s_concurrently.exs", version+1, table)
}

func fakeSymbols(f *grammar.File) []Symbol {
	if f == nil {
		return nil
	}
	var out []Symbol
	for _, n := range f.Root.Args {
		if !n.IsCall("defmodule") || len(n.Args) == 0 {
			continue
		}
		mod := Symbol{Name: n.Args[0].Text, Kind: SymbolModule, Start: n.Start, End: n.End, NameStart: n.Args[0].Start, NameEnd: n.Args[0].End}
		if n.Do != nil {
			for _, def := range n.Do.Args {
				if !(def.IsCall("def") || def.IsCall("defp")) || len(def.Args) == 0 {
					continue
				}
				name := def.Args[0]
				fn := Symbol{Name: name.Text, Kind: SymbolFunction, Start: def.Start, End: def.End, NameStart: name.Start, NameEnd: name.End}
				if def.Do != nil {
					for _, op := range def.Do.Args {
						if op.Kind != grammar.Call {
							continue
						}
						label := f.Source(op)
						if i := strings.IndexByte(label, '\n'); i >= 0 {
							label = label[:i]
						}
						fn.Children = append(fn.Children, Symbol{Name: label, Kind: SymbolOperation, Start: op.Start, End: op.End, NameStart: op.Start, NameEnd: op.Start + len(op.Text)})
					}
				}
				mod.Children = append(mod.Children, fn)
			}
		}
		out = append(out, mod)
	}
	return out
}

func camel(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}
