package lsp

import (
	"errors"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

func TestSmoke(t *testing.T) {
	ts := startServer(t, serverConfig{})
	uri := ts.open(migrationPath, migration)
	got := ts.client.await(t, uri, 1)
	if len(got.Diagnostics) != 1 {
		t.Fatalf("want 1 diagnostic, got %+v", got.Diagnostics)
	}
	d := got.Diagnostics[0]
	if d.Code != fakeRule || d.Source != "lockwise" || d.Range.Start != pos(t, migration, "create index(:users", 0) {
		t.Errorf("unexpected diagnostic %+v", d)
	}
	h := ts.hover(uri, pos(t, migration, "index(:users", 0))
	if h == nil || !strings.Contains(h.Contents.Value, "SHARE lock") || h.Contents.Kind != protocol.Markdown {
		t.Errorf("hover = %+v", h)
	}
	if err := ts.shutdownAndExit(); err != nil {
		t.Errorf("Serve after shutdown+exit = %v, want nil", err)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	ts := startServer(t, serverConfig{})
	ts.notify(protocol.MethodExit, nil)
	if err := ts.serveResult(); !errors.Is(err, ErrExitWithoutShutdown) {
		t.Errorf("Serve = %v, want ErrExitWithoutShutdown", err)
	}
}
