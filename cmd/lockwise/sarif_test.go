package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/xeipuuv/gojsonschema"
)

// validateSARIF checks a SARIF document against the official SARIF 2.1.0
// JSON schema (OASIS, errata 01) with gojsonschema, a draft-04 validator.
// The schema comes from go-sarif, which ships it as the constant `schema`
// of its v210 package and validates its own model with it; the constant is
// not exported, so it is read from the module's source, which go.mod puts
// in the module cache. The document must also load into go-sarif's model.
func validateSARIF(doc []byte) error {
	schema, err := officialSARIFSchema()
	if err != nil {
		return err
	}
	res, err := gojsonschema.Validate(gojsonschema.NewStringLoader(schema), gojsonschema.NewBytesLoader(doc))
	if err != nil {
		return err
	}
	if !res.Valid() {
		var msgs []string
		for _, e := range res.Errors() {
			msgs = append(msgs, e.String())
		}
		return fmt.Errorf("invalid against the SARIF 2.1.0 schema:\n%s", strings.Join(msgs, "\n"))
	}
	if _, err := sarif.FromBytes(doc, sarif.WithStrictValidation()); err != nil {
		return fmt.Errorf("go-sarif cannot load it: %v", err)
	}
	return nil
}

// packageDir is the directory tests start in, inside the module (tests
// change directory into fixture projects later).
var packageDir, _ = os.Getwd()

var sarifSchemaText = sync.OnceValues(func() (string, error) {
	const module = "github.com/owenrumney/go-sarif/v3"
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module)
	cmd.Dir = packageDir
	out, err := cmd.Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		return "", fmt.Errorf("cannot locate %s (go list -m: %v)", module, err)
	}
	path := filepath.Join(dir, "pkg", "report", "v210", "sarif", "schema.go")
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		return "", err
	}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Names) == 1 && vs.Names[0].Name == "schema" && len(vs.Values) == 1 {
				if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					text, err := strconv.Unquote(lit.Value)
					if err == nil && strings.Contains(text, "sarif-schema-2.1.0.json") {
						return text, nil
					}
				}
			}
		}
	}
	return "", fmt.Errorf("%s: no SARIF 2.1.0 schema constant", path)
})

func officialSARIFSchema() (string, error) { return sarifSchemaText() }

// subset reports whether every value of a is in b, and where not.
func subset(a, b any, path string) (string, bool) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return path, false
		}
		for k, v := range x {
			if p, ok := subset(v, y[k], path+"."+k); !ok {
				return p, false
			}
		}
		return "", true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return path, false
		}
		for i := range x {
			if p, ok := subset(x[i], y[i], fmt.Sprintf("%s[%d]", path, i)); !ok {
				return p, false
			}
		}
		return "", true
	}
	return path, a == b
}

func TestCheckSARIF(t *testing.T) {
	withSuppression := strings.Replace(clean, "  def change do\n", "  def change do\n    # lockwise:disable-next-line no-such-rule -- test\n", 1)
	root := mixProject(t, map[string]string{
		indexPath: unicodeIndex,
		"priv/repo/migrations/20240101000002_broken.exs":      broken,
		"priv/repo/migrations/20240101000003_sup pressed.exs": withSuppression,
		".lockwise.toml": "postgres_version = 99999\n", // a configuration error becomes a notification
	})
	t.Chdir(root)
	out, _, code := runCLI(t, "check", "--format", "sarif")
	if code != 1 {
		t.Fatalf("code %d", code)
	}
	if err := validateSARIF([]byte(out)); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}

	var log sarifLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" || len(run.Invocations[0].ToolConfigurationNotifications) != 1 {
		t.Errorf("columnKind %q, notifications %+v", run.ColumnKind, run.Invocations)
	}
	seen := map[string]bool{}
	for _, res := range run.Results {
		seen[res.RuleID] = true
		if rule := run.Tool.Driver.Rules[res.RuleIndex]; rule.ID != res.RuleID {
			t.Errorf("result %s points at rule %s", res.RuleID, rule.ID)
		}
		loc := res.Locations[0].PhysicalLocation
		switch res.RuleID {
		case "index-not-concurrently":
			r := loc.Region
			if loc.ArtifactLocation.URI != indexPath || r.StartLine != 5 || r.StartColumn != 15 || r.EndLine != 5 || r.EndColumn != 45 || res.Level != "warning" {
				t.Errorf("index finding: %+v %s", loc, res.Level)
			}
			if len(res.Fixes) == 0 || len(res.Fixes[0].ArtifactChanges[0].Replacements) == 0 {
				t.Errorf("the concurrently fix is carried: %+v", res.Fixes)
			}
		case "invalid-suppression":
			if loc.ArtifactLocation.URI != "priv/repo/migrations/20240101000003_sup%20pressed.exs" {
				t.Errorf("URIs are escaped: %q", loc.ArtifactLocation.URI)
			}
		case syntaxRule:
			if res.Level != "error" {
				t.Errorf("syntax error level %q", res.Level)
			}
		}
	}
	for _, id := range []string{"index-not-concurrently", "invalid-suppression", syntaxRule} {
		if !seen[id] {
			t.Errorf("no %s result in:\n%s", id, out)
		}
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.ID == "index-not-concurrently" && !strings.HasSuffix(r.HelpURI, "/docs/rules/index-not-concurrently.md") {
			t.Errorf("helpUri %q", r.HelpURI)
		}
	}
}

// The validation is not vacuous: a bad level, a property the schema does
// not know and a column below 1 are all caught.
func TestValidateSARIFCatchesErrors(t *testing.T) {
	root := mixProject(t, map[string]string{indexPath: unicodeIndex})
	t.Chdir(root)
	out, _, _ := runCLI(t, "check", "--format", "sarif")
	for _, bad := range []string{
		strings.Replace(out, `"level":"warning"`, `"level":"fatal"`, 1),
		strings.Replace(out, `"ruleId":`, `"ruleID": "x", "ruleId":`, 1),
		strings.Replace(out, `"startColumn":15`, `"startColumn":0`, 1),
	} {
		if err := validateSARIF([]byte(bad)); err == nil {
			t.Errorf("accepted:\n%s", bad)
		}
	}
}
