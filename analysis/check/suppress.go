package check

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/grammar"
)

// SuppressionRule is the code of the diagnostics about suppression
// comments themselves (an unknown rule id).
const SuppressionRule = "invalid-suppression"

var directive = regexp.MustCompile(`^#\s*(lockwise:disable-next-line|lockwise:disable-file|excellent_migrations:safety-assured-for-next-line|excellent_migrations:safety-assured-for-this-file)\b(.*)$`)

// scope is a byte range of the file where some rules are suppressed.
type scope struct {
	start, end int
	rules      map[string]bool // rule ids; "all" for every rule
}

type suppressions struct {
	scopes   []scope
	problems []analysis.Diagnostic
}

// parseSuppressions reads the suppression comments of the file (DESIGN.md
// "Suppressions"): lockwise's own and excellent_migrations', mapped to the
// rule ids through each rule's EM list. Unknown ids are reported.
func parseSuppressions(m *analysis.Migration, catalog []*analysis.Analyzer) *suppressions {
	s := &suppressions{}
	byID := map[string]bool{}
	byEM := map[string][]string{}
	for _, a := range catalog {
		byID[a.Name] = true
		for _, em := range a.EM {
			byEM[em] = append(byEM[em], a.Name)
		}
	}
	src := m.File.Src
	for _, c := range m.File.Comments {
		mt := directive.FindStringSubmatch(strings.TrimSpace(c.Text))
		if mt == nil {
			continue
		}
		kind, rest := mt[1], mt[2]
		if i := strings.Index(rest, "--"); i >= 0 {
			rest = rest[:i] // the reason
		}
		names := strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		rules := map[string]bool{}
		em := strings.HasPrefix(kind, "excellent_migrations")
		for _, n := range names {
			switch {
			case n == "all":
				rules["all"] = true
			case em:
				ids, ok := byEM[n]
				if !ok {
					s.report(c, "unknown excellent_migrations check %q: it suppresses nothing here", n)
					continue
				}
				for _, id := range ids {
					rules[id] = true
				}
			case byID[n]:
				rules[n] = true
			default:
				s.report(c, "unknown rule %q in a suppression comment: it suppresses nothing (see `lockwise rules`)", n)
			}
		}
		if len(names) == 0 {
			s.report(c, "this suppression comment names no rule: write the rule ids (or `all`)")
			continue
		}
		if len(rules) == 0 {
			continue
		}
		if strings.HasSuffix(kind, "file") {
			s.scopes = append(s.scopes, scope{start: 0, end: len(src) + 1, rules: rules})
			continue
		}
		if start, end, ok := nextStatement(m, c); ok {
			s.scopes = append(s.scopes, scope{start: start, end: end, rules: rules})
		}
	}
	return s
}

func (s *suppressions) report(c grammar.Comment, format string, args ...any) {
	s.problems = append(s.problems, analysis.Diagnostic{
		Rule: SuppressionRule, Severity: analysis.Warning, Start: c.Start, End: c.End,
		Message: fmt.Sprintf(format, args...), URL: analysis.DocsBase + SuppressionRule + ".md",
	})
}

// nextStatement finds the code a next-line directive covers: the next line
// holding code, through the end of the longest expression that starts on
// it (a whole `alter table ... end` or a multi-line execute).
func nextStatement(m *analysis.Migration, c grammar.Comment) (start, end int, ok bool) {
	lines := m.Lines
	line := lines.Line(c.Start) + 1
	for ; line < lines.Count(); line++ {
		text := strings.TrimSpace(string(lines.Text(line)))
		if text != "" && !strings.HasPrefix(text, "#") {
			break
		}
	}
	if line >= lines.Count() {
		return 0, 0, false
	}
	start, lineEnd := lines.Start(line), lines.End(line)
	end = lineEnd
	grammar.Walk(m.File.Root, func(n *grammar.Node) bool {
		if n.Start >= start && n.Start < lineEnd && n.End > end {
			end = n.End
		}
		return n.End > start // only descend into nodes that reach the line
	})
	return start, end, true
}

// apply drops the diagnostics a scope covers.
func (s *suppressions) apply(ds []analysis.Diagnostic) ([]analysis.Diagnostic, int) {
	if len(s.scopes) == 0 {
		return ds, 0
	}
	out := ds[:0]
	n := 0
	for _, d := range ds {
		if s.covers(d) {
			n++
			continue
		}
		out = append(out, d)
	}
	return out, n
}

func (s *suppressions) covers(d analysis.Diagnostic) bool {
	for _, sc := range s.scopes {
		if d.Start >= sc.start && d.Start < sc.end && (sc.rules["all"] || sc.rules[d.Rule]) {
			return true
		}
	}
	return false
}

// SuppressFix is the fix that silences d with a comment above the line it
// starts on; the reason is left for the user to write.
func SuppressFix(m *analysis.Migration, d analysis.Diagnostic) analysis.Fix {
	line := m.Lines.Line(d.Start)
	// Inside a multi-line string a comment cannot go above the SQL line:
	// put it above the statement that holds the string.
	start := m.Lines.Start(line)
	grammar.Walk(m.File.Root, func(n *grammar.Node) bool {
		if n.Kind == grammar.String && n.Start < d.Start && d.Start < n.End {
			line = m.Lines.Line(n.Start)
			start = m.Lines.Start(line)
			for _, top := range stmtStarts(m, n) {
				if top < start {
					start = top
					line = m.Lines.Line(top)
				}
			}
			return false
		}
		return n.Start <= d.Start && d.Start < n.End
	})
	text := string(m.Lines.Text(line))
	indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
	return analysis.Fix{
		Title: "Suppress " + d.Rule + " here",
		Kind:  analysis.Suppress,
		Edits: []analysis.TextEdit{{Start: start, End: start,
			NewText: indent + "# lockwise:disable-next-line " + d.Rule + " -- <why this is safe>\n"}},
	}
}

// stmtStarts returns the starts of the lines of the calls enclosing n, the
// outermost statement first (execute """...""" spans lines).
func stmtStarts(m *analysis.Migration, n *grammar.Node) []int {
	var out []int
	grammar.Walk(m.File.Root, func(x *grammar.Node) bool {
		if x.Start <= n.Start && n.End <= x.End {
			if x.Kind == grammar.Call && x != n {
				out = append(out, m.Lines.Start(m.Lines.Line(x.Start)))
			}
			return true
		}
		return false
	})
	if len(out) > 1 {
		// the innermost call is the statement (execute), not the def/defmodule
		return out[len(out)-1:]
	}
	return out
}
