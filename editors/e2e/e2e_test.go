// Package e2e runs the editor integrations in editors/ inside the real
// editors, against a real `lockwise lsp` built from this module:
//
//   - TestNeovim: nvim --headless (0.7.2 from Debian) with editors/nvim,
//   - TestEmacs: emacs --batch (28.2 + Eglot 1.9 from Debian) with editors/emacs/lockwise.el,
//   - TestVSCode: code-server with the .vsix built from editors/vscode,
//     driven through its web UI by Playwright in Chromium.
//
// Each copies the fixture mix project testdata/shop to a temp dir, opens
// its migration with `create index(:users, [:email])` on an existing table,
// and checks the index-not-concurrently diagnostic, the hover (SHARE lock)
// and a code action applied to the file.
//
// A missing editor skips the test with the reason, unless
// LOCKWISE_REQUIRE_ALL=1 (CI), which turns the skip into a failure.
// LOCKWISE_BIN=path uses a prebuilt lockwise instead of building one.
package e2e

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The fixture: a migration that adds a column and an index to users, which
// an earlier migration of the same project created (so the index is on an
// existing table).
const (
	fixtureMigration = "priv/repo/migrations/20240301000000_add_email_index.exs"
	fixtureOther     = "mix.exs"
)

var lockwiseBin string // built once in TestMain

func TestMain(m *testing.M) {
	code := func() int {
		if bin := os.Getenv("LOCKWISE_BIN"); bin != "" {
			lockwiseBin = bin
			return m.Run()
		}
		dir, err := os.MkdirTemp("", "lockwise-e2e-bin-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		lockwiseBin = filepath.Join(dir, "lockwise")
		start := time.Now()
		out, err := exec.Command("go", "build", "-o", lockwiseBin, "github.com/lockwise/lockwise/cmd/lockwise").CombinedOutput()
		if err != nil {
			fmt.Fprintf(os.Stderr, "e2e: go build lockwise: %v\n%s", err, out)
			return 1
		}
		fmt.Fprintf(os.Stderr, "e2e: built lockwise in %s\n", time.Since(start).Round(time.Millisecond))
		return m.Run()
	}()
	os.Exit(code)
}

// requireAll reports whether a missing tool must fail the test (CI).
func requireAll() bool { return os.Getenv("LOCKWISE_REQUIRE_ALL") == "1" }

// missing skips the test, loudly, or fails it under LOCKWISE_REQUIRE_ALL=1.
func missing(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if requireAll() {
		t.Fatalf("LOCKWISE_REQUIRE_ALL=1 and %s", msg)
	}
	t.Skipf("SKIPPED, NOT TESTED: %s (set LOCKWISE_REQUIRE_ALL=1 to fail instead; .ci/run installs everything)", msg)
}

// lookTool finds an executable from an environment variable or on PATH.
func lookTool(t *testing.T, envVar, name, install string) string {
	t.Helper()
	if p := os.Getenv(envVar); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			missing(t, "%s=%s is not an executable: %v", envVar, p, err)
		}
		return p
	}
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, "%s not found on PATH (nor %s set); install: %s", name, envVar, install)
	}
	return p
}

// repoDir returns a path relative to the repository root.
func repoDir(t *testing.T, rel string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", rel)
}

// workspace copies the fixture project into a fresh temp dir and returns
// its root (the temp dir itself is removed by the testing package).
func workspace(t *testing.T) string {
	t.Helper()
	src := repoDir(t, "editors/e2e/testdata/shop")
	dst := filepath.Join(t.TempDir(), "shop")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// step is one check an editor script reports in its JSON result.
type step struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail any    `json:"detail"`
}

// checkSteps reads an editor script's {"steps": [...]} result and fails the
// test for every step that is not ok (and when there are none).
func checkSteps(t *testing.T, resultFile string, editorOutput []byte) {
	t.Helper()
	data, err := os.ReadFile(resultFile)
	if err != nil {
		t.Fatalf("no result from the editor (%v); its output:\n%s", err, editorOutput)
	}
	var res struct {
		Steps    []step `json:"steps"`
		Messages any    `json:"messages"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("result %s: %v", data, err)
	}
	if len(res.Steps) == 0 {
		t.Fatalf("the editor reported no step; its output:\n%s", editorOutput)
	}
	for _, s := range res.Steps {
		if s.OK {
			t.Logf("ok   %s", s.Name)
		} else {
			t.Errorf("FAIL %s: %v", s.Name, s.Detail)
		}
	}
	if t.Failed() {
		t.Logf("server messages: %v\neditor output:\n%s", res.Messages, editorOutput)
	}
}

// checkConcurrentFix asserts the migration on disk after the quick fix
// "Create the index concurrently": the index is concurrent, the module
// runs outside the DDL transaction and the migration lock, and the rest of
// the migration is untouched.
func checkConcurrentFix(t *testing.T, root string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, fixtureMigration))
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	for _, want := range []string{
		"  @disable_ddl_transaction true\n",
		"  @disable_migration_lock true\n",
		"    create index(:users, [:email], concurrently: true)\n",
		"    alter table(:users) do\n      add :nickname, :string\n    end\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the migration on disk lacks %q after the fix; it is:\n%s", want, got)
		}
	}
}

// timed logs how long the test took: the durations the README quotes.
func timed(t *testing.T) {
	start := time.Now()
	t.Cleanup(func() { t.Logf("duration: %s", time.Since(start).Round(10*time.Millisecond)) })
}
