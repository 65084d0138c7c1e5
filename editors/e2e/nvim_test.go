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

// TestNeovim runs testdata/nvim_e2e.lua in headless Neovim with
// editors/nvim (require("lockwise").setup{}) and `lockwise` found on PATH,
// as a user's config would.
func TestNeovim(t *testing.T) {
	timed(t)
	nvim := lookTool(t, "LOCKWISE_NVIM", "nvim", "apt-get install neovim")
	root := workspace(t)
	home := t.TempDir()
	out := filepath.Join(home, "result.json")
	script, err := filepath.Abs("testdata/nvim_e2e.lua")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// --clean: no user config or plugins; -n: no swap files.
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", "-c", "luafile "+script)
	cmd.Dir = root
	cmd.Stdin = nil // /dev/null: headless Neovim must not wait for input
	cmd.Env = append(os.Environ(),
		"PATH="+filepath.Dir(lockwiseBin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"NVIM_PLUGIN="+repoDir(t, "editors/nvim"),
		"ROOT="+root,
		"MIGRATION="+filepath.Join(root, fixtureMigration),
		"OTHER="+filepath.Join(root, fixtureOther),
		"OUT="+out,
		"TIMEOUT_MS=15000",
		// Keep Neovim's state, logs and shada out of the real home.
		"HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home,
		"XDG_CACHE_HOME="+home, "XDG_STATE_HOME="+home,
	)
	output, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("nvim timed out; output:\n%s", output)
	}
	if err != nil {
		t.Errorf("nvim: %v", err)
	}
	checkSteps(t, out, output)
	checkConcurrentFix(t, root)
	if t.Failed() {
		if log, err := os.ReadFile(filepath.Join(home, "nvim", "lsp.log")); err == nil {
			t.Logf("lsp.log:\n%s", strings.TrimSpace(string(log)))
		}
	}
}
