package main

import (
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis/rules"
	"github.com/lockwise/lockwise/docs"
)

func TestRulesList(t *testing.T) {
	t.Chdir(t.TempDir()) // the pages are embedded: any directory works
	out, _, code := runCLI(t, "rules")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || len(lines) != len(rules.All) {
		t.Fatalf("code %d, %d lines for %d rules:\n%s", code, len(lines), len(rules.All), out)
	}
	for i, a := range rules.All {
		f := strings.Fields(lines[i])
		if len(f) < 3 || f[0] != a.Name || f[1] != a.Severity.String() || !strings.HasSuffix(lines[i], a.Doc) {
			t.Errorf("line %d: %q", i, lines[i])
		}
	}
}

func TestRulesPage(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, a := range rules.All {
		out, _, code := runCLI(t, "rules", a.Name)
		if code != 0 {
			t.Fatalf("%s: code %d", a.Name, code)
		}
		if page, ok := docs.RulePage(a.Name); ok {
			if out != string(page) {
				t.Errorf("%s: the embedded page is printed as is", a.Name)
			}
		} else if !strings.Contains(out, a.Doc) || !strings.Contains(out, a.URL()) {
			t.Errorf("%s: without a page, the Doc line and URL: %q", a.Name, out)
		}
	}
	if page, ok := docs.RulePage("invalid-suppression"); ok {
		if out, _, code := runCLI(t, "rules", "invalid-suppression"); code != 0 || out != string(page) {
			t.Errorf("invalid-suppression has a page: %d", code)
		}
	}
	if _, errs, code := runCLI(t, "rules", "no-such-rule"); code != 2 || !strings.Contains(errs, "unknown rule") {
		t.Errorf("unknown rule: %d %q", code, errs)
	}
	if _, _, code := runCLI(t, "rules", "a", "b"); code != 2 {
		t.Errorf("two ids: %d", code)
	}
}
