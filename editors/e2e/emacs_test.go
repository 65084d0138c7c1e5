package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const emacsInstall = "apt-get install emacs-nox elpa-eglot"

// TestEmacs runs testdata/emacs_e2e.el in `emacs --batch` with
// editors/emacs/lockwise.el: Eglot with lockwise lsp, and the Flymake
// backend (lockwise check --format gcc) beside it, `lockwise` on exec-path.
func TestEmacs(t *testing.T) {
	timed(t)
	emacs := lookTool(t, "LOCKWISE_EMACS", "emacs", emacsInstall)
	root := workspace(t)
	home := t.TempDir()
	out := filepath.Join(home, "result.json")
	script, err := filepath.Abs("testdata/emacs_e2e.el")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, emacs, "--batch", "-l", script)
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		"PATH="+filepath.Dir(lockwiseBin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"LOCKWISE_EL="+repoDir(t, "editors/emacs"),
		"ROOT="+root,
		"MIGRATION="+filepath.Join(root, fixtureMigration),
		"OTHER="+filepath.Join(root, fixtureOther),
		"OUT="+out,
		"HOME="+home, // no ~/.emacs.d of the machine's user
	)
	output, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("emacs timed out; output:\n%s", output)
	}
	if err != nil {
		t.Errorf("emacs: %v", err)
	}
	checkSteps(t, out, output)
	checkConcurrentFix(t, root)
}

// TestEmacsByteCompile byte-compiles lockwise.el as package.el would
// (Emacs 28 + elpa-eglot on the load-path): any warning fails.
func TestEmacsByteCompile(t *testing.T) {
	emacs := lookTool(t, "LOCKWISE_EMACS", "emacs", emacsInstall)
	dir := t.TempDir()
	src, err := os.ReadFile(repoDir(t, "editors/emacs/lockwise.el"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lockwise.el"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(emacs, "--batch", "--eval", "(setq byte-compile-error-on-warn t)",
		"-f", "batch-byte-compile", "lockwise.el")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("byte-compile lockwise.el: %v\n%s", err, out)
	}
	// Loading the compiled file, then Eglot, registers the server.
	cmd = exec.Command(emacs, "--batch", "-L", dir, "--eval",
		`(progn (require 'lockwise) (require 'eglot)
		   (princ (format "%S" (assoc '((lockwise-migration-mode :language-id "elixir")) eglot-server-programs))))`)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	out, err = cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "lockwise--eglot-contact") {
		t.Fatalf("load lockwise.elc: %v\n%s", err, out)
	}
}
