package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestVSCode builds the .vsix from editors/vscode, installs it into
// code-server (VS Code 1.139 server + web workbench), and drives the
// workbench in Chromium with testdata/vscode/drive.js (Playwright): the
// Problems panel, the hover, the quick fix and the expand-contract split
// that creates a new migration file, each checked on disk.
//
// Tools: code-server ($LOCKWISE_CODE_SERVER or PATH), Chromium
// ($LOCKWISE_CHROMIUM or PATH), node and npm (PATH), and the npm packages
// of editors/vscode and testdata/vscode (npm ci). .ci/run installs them.
// LOCKWISE_UPDATE_SCREENSHOT=1 rewrites docs/vscode.png.
func TestVSCode(t *testing.T) {
	timed(t)
	codeServer := lookTool(t, "LOCKWISE_CODE_SERVER", "code-server", "see .ci/install-editors (npm code-server@4.139.1 under Node 24)")
	chromiumBin := lookTool(t, "LOCKWISE_CHROMIUM", "chromium", "apt-get install chromium")
	node := lookTool(t, "LOCKWISE_NODE", "node", "Node.js 20+")
	npm := lookTool(t, "LOCKWISE_NPM", "npm", "npm")
	extDir := repoDir(t, "editors/vscode")
	driverDir := repoDir(t, "editors/e2e/testdata/vscode")
	for _, d := range []string{extDir, driverDir} {
		if _, err := os.Stat(filepath.Join(d, "node_modules")); err != nil {
			missing(t, "%s has no node_modules: run `npm ci` there", d)
		}
	}

	work := t.TempDir()
	dirs := map[string]string{}
	for _, d := range []string{"user-data", "extensions", "xdg-config", "xdg-data", "xdg-cache", "tmp", "shots"} {
		dirs[d] = filepath.Join(work, d)
		if err := os.MkdirAll(dirs[d], 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// code-server and Chromium leave sockets and profiles in TMPDIR, and
	// code-server writes config.yaml under XDG_CONFIG_HOME: all in work.
	// HOME stays: the server builds the extension host's environment from
	// a login shell of the user (README of the reference recipes).
	env := append(os.Environ(),
		"TMPDIR="+dirs["tmp"],
		"XDG_CONFIG_HOME="+dirs["xdg-config"], "XDG_DATA_HOME="+dirs["xdg-data"], "XDG_CACHE_HOME="+dirs["xdg-cache"],
	)

	// 1. The .vsix, built from the tree as a user would (npm run package).
	start := time.Now()
	vsix := filepath.Join(work, "lockwise.vsix")
	run(t, extDir, env, 2*time.Minute, npm, "run", "package", "--", "--out", vsix)
	t.Logf("vsix built in %s", time.Since(start).Round(10*time.Millisecond))
	checkVSIX(t, vsix)

	// 2. Installed into a fresh extensions dir.
	run(t, work, env, time.Minute, codeServer, "--user-data-dir", dirs["user-data"], "--extensions-dir", dirs["extensions"],
		"--install-extension", vsix)

	// 3. User settings: lockwise.path (the extension host's PATH comes from
	// the login shell, not from this process), a rule turned off to check
	// that settings reach the server, and the first-run UI turned off.
	settings := map[string]any{
		"lockwise.path":                                lockwiseBin,
		"lockwise.rules":                               map[string]string{"lock-timeout-missing": "off"},
		"security.workspace.trust.enabled":             false,
		"workbench.startupEditor":                      "none",
		"workbench.tips.enabled":                       false,
		"workbench.enableExperiments":                  false,
		"telemetry.telemetryLevel":                     "off",
		"update.mode":                                  "none",
		"extensions.autoCheckUpdates":                  false,
		"extensions.autoUpdate":                        false,
		"extensions.ignoreRecommendations":             true,
		"chat.disableAIFeatures":                       true,
		"git.enabled":                                  false,
		"editor.minimap.enabled":                       false,
		"editor.codeLens":                              false, // keeps line positions stable for the screenshot
		"workbench.colorTheme":                         "Default Light Modern",
		"window.commandCenter":                         false,
		"workbench.layoutControl.enabled":              false,
		"files.autoSave":                               "off",
		"editor.lightbulb.enabled":                     "on",
		"workbench.editor.enablePreview":               false,
		"editor.hover.delay":                           300,
		"problems.defaultViewMode":                     "list",
		"workbench.panel.defaultLocation":              "bottom",
		"terminal.integrated.enablePersistentSessions": false,
	}
	data, _ := json.MarshalIndent(settings, "", "  ")
	if err := os.MkdirAll(filepath.Join(dirs["user-data"], "User"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dirs["user-data"], "User", "settings.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	// lockwise.path is machine-scoped: in a remote window (code-server's
	// extension host is one) it is read from the remote machine's
	// settings, not from the user's.
	machine, _ := json.Marshal(map[string]any{"lockwise.path": lockwiseBin})
	if err := os.MkdirAll(filepath.Join(dirs["user-data"], "Machine"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dirs["user-data"], "Machine", "settings.json"), machine, 0o644); err != nil {
		t.Fatal(err)
	}

	// 4. code-server in its own process group: the extension host and the
	// lockwise server it starts are killed with it.
	root := workspace(t)
	port := freePort(t)
	cs := exec.Command(codeServer, "--bind-addr", fmt.Sprintf("127.0.0.1:%d", port), "--auth", "none",
		"--user-data-dir", dirs["user-data"], "--extensions-dir", dirs["extensions"],
		"--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
		"--disable-getting-started-override", "--ignore-last-opened", root)
	cs.Env = env
	var csLog bytes.Buffer
	cs.Stdout, cs.Stderr = &csLog, &csLog
	// Pdeathsig: should the test binary be killed (go test -timeout), the
	// kernel stops code-server too, so it never outlives the test.
	cs.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cs.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	go func() { _ = cs.Wait(); close(stopped) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cs.Process.Pid, syscall.SIGTERM)
		select {
		case <-stopped:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cs.Process.Pid, syscall.SIGKILL)
			<-stopped
		}
		// Children that outlived the leader (the extension host, lockwise).
		_ = syscall.Kill(-cs.Process.Pid, syscall.SIGKILL)
		if t.Failed() {
			t.Logf("code-server output:\n%s", csLog.String())
			logExtensionHost(t, dirs["user-data"])
		}
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitHealthy(t, base+"/healthz", stopped, &csLog)

	// 5. The UI, driven by Playwright.
	out := filepath.Join(work, "result.json")
	shot := ""
	if os.Getenv("LOCKWISE_UPDATE_SCREENSHOT") == "1" {
		shot = filepath.Join(work, "vscode.png")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	drive := exec.CommandContext(ctx, node, filepath.Join(driverDir, "drive.js"))
	drive.Dir = driverDir
	drive.Env = append(env,
		"URL="+base+"/?folder="+root,
		"ROOT="+root,
		"MIGRATION="+filepath.Join(root, fixtureMigration),
		"OUT="+out,
		"SHOTS="+dirs["shots"],
		"SCREENSHOT="+shot,
		"CHROMIUM="+chromiumBin,
		"TIMEOUT_MS=30000",
	)
	driveStart := time.Now()
	output, err := drive.CombinedOutput()
	t.Logf("UI steps took %s", time.Since(driveStart).Round(10*time.Millisecond))
	if err != nil {
		t.Errorf("drive.js: %v", err)
	}
	checkSteps(t, out, output)
	if keep := os.Getenv("LOCKWISE_E2E_SHOTS"); keep != "" || t.Failed() {
		keepShots(t, dirs["shots"], keep)
	}

	var res struct {
		Snapshots struct {
			AfterQuickFix string          `json:"afterQuickFix"`
			AfterSplit    json.RawMessage `json:"afterSplit"`
		} `json:"snapshots"`
	}
	if data, err := os.ReadFile(out); err == nil {
		_ = json.Unmarshal(data, &res)
	}
	checkConcurrentFixText(t, res.Snapshots.AfterQuickFix)
	checkSplit(t, res.Snapshots.AfterSplit)

	if shot != "" && !t.Failed() {
		saveScreenshot(t, shot)
	}
}

// checkVSIX asserts what the package holds: the compiled extension and its
// runtime dependencies, not the sources or the build tools.
func checkVSIX(t *testing.T, vsix string) {
	t.Helper()
	zr, err := zip.OpenReader(vsix)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	has := map[string]bool{}
	for _, f := range zr.File {
		has[f.Name] = true
		for _, bad := range []string{"extension/src/", "extension/node_modules/typescript/", "extension/node_modules/@vscode/vsce/", "extension/tsconfig.json"} {
			if strings.HasPrefix(f.Name, bad) {
				t.Errorf("the .vsix holds %s", f.Name)
			}
		}
	}
	for _, want := range []string{"extension/package.json", "extension/readme.md", "extension/out/extension.js",
		"extension/node_modules/vscode-languageclient/package.json"} {
		if !has[want] {
			t.Errorf("the .vsix lacks %s", want)
		}
	}
}

// run runs a command to completion or fails the test with its output.
func run(t *testing.T, dir string, env []string, timeout time.Duration, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitHealthy polls code-server's /healthz until it answers 200.
func waitHealthy(t *testing.T, url string, stopped <-chan struct{}, log *bytes.Buffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-stopped:
			t.Fatalf("code-server exited:\n%s", log.String())
		default:
		}
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("code-server not healthy after 30s (%v):\n%s", err, log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkConcurrentFixText is checkConcurrentFix on a snapshot of the file.
func checkConcurrentFixText(t *testing.T, got string) {
	t.Helper()
	for _, want := range []string{
		"  @disable_ddl_transaction true\n",
		"  @disable_migration_lock true\n",
		"    create index(:users, [:email], concurrently: true)\n",
		"    alter table(:users) do\n      add :nickname, :string\n    end\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("after the quick fix the migration on disk lacks %q; it was:\n%s", want, got)
		}
	}
}

// checkSplit asserts the migrations directory after the expand-contract
// split: the index left the original migration, and a new migration one
// second later creates it concurrently, outside the DDL transaction.
func checkSplit(t *testing.T, raw json.RawMessage) {
	t.Helper()
	var files map[string]string
	if err := json.Unmarshal(raw, &files); err != nil {
		t.Errorf("no migrations snapshot after the split: %s", raw)
		return
	}
	orig := files[filepath.Base(fixtureMigration)]
	if strings.Contains(orig, "create index") || !strings.Contains(orig, "add :nickname, :string") {
		t.Errorf("after the split the original migration should keep only the column; it is:\n%s", orig)
	}
	var newName, newText string
	for name, text := range files {
		if strings.HasPrefix(name, "20240301000001_") {
			newName, newText = name, text
		}
	}
	if newName == "" {
		t.Fatalf("after the split no new migration 20240301000001_*.exs on disk: %v", keys(files))
	}
	for _, want := range []string{
		"defmodule Shop.Repo.Migrations.",
		"use Ecto.Migration",
		"@disable_ddl_transaction true",
		"@disable_migration_lock true",
		"create index(:users, [:email], concurrently: true)",
	} {
		if !strings.Contains(newText, want) {
			t.Errorf("the new migration %s lacks %q; it is:\n%s", newName, want, newText)
		}
	}
	t.Logf("split created %s:\n%s", newName, newText)
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// saveScreenshot copies the docs screenshot to docs/vscode.png, refusing
// one over 150 KB (the README must stay light).
func saveScreenshot(t *testing.T, shot string) {
	t.Helper()
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if len(data) > 150<<10 {
		t.Fatalf("screenshot is %d KB, over 150 KB", len(data)>>10)
	}
	dst := repoDir(t, "docs/vscode.png")
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d KB)", dst, len(data)>>10)
}

// keepShots copies the step screenshots out of the temp dir, which the
// testing package removes: to keep (LOCKWISE_E2E_SHOTS=dir) or, after a
// failure, to a new temp dir, so that the run can be looked at.
func keepShots(t *testing.T, dir, keep string) {
	if keep == "" {
		var err error
		if keep, err = os.MkdirTemp("", "lockwise-vscode-failure-"); err != nil {
			return
		}
	} else if err := os.MkdirAll(keep, 0o755); err != nil {
		return
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if data, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
			_ = os.WriteFile(filepath.Join(keep, e.Name()), data, 0o644)
		}
	}
	t.Logf("step screenshots: %s", keep)
}

// logExtensionHost prints the extension host's and lockwise's output
// channels from code-server's logs.
func logExtensionHost(t *testing.T, userData string) {
	_ = filepath.Walk(filepath.Join(userData, "logs"), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && (strings.HasSuffix(p, "remoteexthost.log") || strings.Contains(strings.ToLower(filepath.Base(p)), "lockwise")) {
			if data, err := os.ReadFile(p); err == nil && len(data) > 0 {
				t.Logf("%s:\n%s", p, data)
			}
		}
		return nil
	})
}
