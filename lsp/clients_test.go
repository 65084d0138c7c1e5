package lsp

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestMain lets the test binary act as a language server (with the fake
// engine) for the real-client tests: the editors start it as a subprocess.
func TestMain(m *testing.M) {
	if os.Getenv("LOCKWISE_TEST_AS_SERVER") == "1" {
		err := Serve(context.Background(), os.Stdin, os.Stdout, Options{Engine: &fakeEngine{}, LogFile: os.Getenv("LOCKWISE_TEST_LOG"), Verbose: true})
		if err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestRealClients runs the server under the real Neovim 0.7 and Eglot 1.9
// clients (apt: neovim, emacs-nox elpa-eglot) when they are installed.
// The probes are in testdata/clients; each writes a JSON list of steps.
func TestRealClients(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: starts editors")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, bin string
		args      func(probe string) []string
	}{
		{"nvim07", "nvim", func(probe string) []string {
			return []string{"--headless", "--clean", "-n", "-c", "luafile " + probe}
		}},
		{"eglot19", "emacs", func(probe string) []string { return []string{"--batch", "-l", probe} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := exec.LookPath(c.bin); err != nil {
				t.Skipf("%s not installed", c.bin)
			}
			probe, err := filepath.Abs(filepath.Join("testdata", "clients", map[string]string{"nvim07": "nvim07.lua", "eglot19": "eglot19.el"}[c.name]))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			root := filepath.Join(dir, "proj")
			file := filepath.Join(root, "priv/repo/migrations/20240101000000_add_index.exs")
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			src := "defmodule App.Repo.Migrations.AddIndex do\n  use Ecto.Migration\n\n  # Ünïcode: é 𐐀\n  def change do\n    create index(:users, [:email])\n  end\nend\n"
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out.json")
			log := filepath.Join(dir, "server.log")
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, c.bin, c.args(probe)...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "LOCKWISE_TEST_AS_SERVER=1", "LOCKWISE_TEST_LOG="+log,
				"SERVER="+self, "ROOT="+root, "FILE="+file, "OUT="+out, "HOME="+dir,
				"XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CACHE_HOME="+dir, "XDG_STATE_HOME="+dir)
			output, err := cmd.CombinedOutput()
			data, rerr := os.ReadFile(out)
			if rerr != nil {
				t.Fatalf("%s: no result (%v): %v\n%s", c.bin, rerr, err, output)
			}
			var steps []struct {
				Name   string `json:"name"`
				OK     any    `json:"ok"`
				Detail any    `json:"detail"`
			}
			var wrapped struct {
				Steps json.RawMessage `json:"steps"`
			}
			if json.Unmarshal(data, &wrapped) == nil && wrapped.Steps != nil {
				data = wrapped.Steps
			}
			if err := json.Unmarshal(data, &steps); err != nil {
				t.Fatalf("result %s: %v", data, err)
			}
			for _, s := range steps {
				if s.OK != true {
					t.Errorf("%s: step %q failed: %v", c.name, s.Name, s.Detail)
				}
			}
			if t.Failed() {
				logData, _ := os.ReadFile(log)
				t.Logf("server log:\n%s", logData)
			}
		})
	}
}
