package lsp

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lockwise/lockwise/grammar"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// rpcCode is the JSON-RPC error code of err, or 0.
func rpcCode(err error) jsonrpc2.Code {
	var e *jsonrpc2.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// digest is what the fake engine's whole-text hover says about text: the
// server's copy of a document can be checked with a hover at 0:0.
func digest(text string) string {
	sum := sha256.Sum256([]byte(text))
	return fmt.Sprintf("bytes=%d sha256=%x", len(text), sum[:8])
}

func (ts *testServer) serverText(t *testing.T, uri string) string {
	t.Helper()
	h := ts.hover(uri, protocol.Position{})
	if h == nil {
		t.Fatalf("no hover at 0:0 of %s", uri)
	}
	return h.Contents.Value
}

func TestMalformedInputIsSurvived(t *testing.T) {
	ts := startServer(t, serverConfig{})
	uri := ts.open(migrationPath, migration)
	ts.client.await(t, uri, 1)
	for _, raw := range [][]byte{
		frame(`{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":`), // truncated JSON
		frame(`[1, 2, 3]`),                    // a batch: not LSP
		frame(`"just a string"`),              // not an object
		frame(`{"jsonrpc":"2.0"}`),            // neither request nor response
		[]byte("Foo: bar\r\n\r\n"),            // a header block without Content-Length
		[]byte("Content-Length: abc\r\n\r\n"), // a bad length, no body
		[]byte("\r\n\r\n"),                    // stray blank lines
		frame(`{"jsonrpc":"2.0","id":"bad-version","method":"textDocument/hover","params":{}, "jsonrpc":"1.0"}`),
		frame(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":42}}}`),
		frame(`{"jsonrpc":"2.0","id":"bad-params","method":"textDocument/codeAction","params":{"range":"nope"}}`),
	} {
		if err := ts.stream.writeRaw(raw); err != nil {
			t.Fatal(err)
		}
	}
	// A request that could not be decoded but had an id gets an error for it.
	if err := ts.stream.response(t, "bad-version").Err(); rpcCode(err) != jsonrpc2.InvalidRequest {
		t.Errorf("bad version: got %v, want InvalidRequest", err)
	}
	if err := ts.stream.response(t, "bad-params").Err(); rpcCode(err) != jsonrpc2.InvalidParams {
		t.Errorf("bad params: got %v, want InvalidParams", err)
	}
	// The connection is still up and the document intact.
	if got := ts.serverText(t, uri); !strings.Contains(got, digest(migration)) {
		t.Errorf("text after garbage: %s", got)
	}
	if !strings.Contains(ts.logs.String(), "dropping a malformed message") {
		t.Error("malformed messages should be logged")
	}
}

func TestUnknownMethods(t *testing.T) {
	ts := startServer(t, serverConfig{})
	for _, m := range []string{"textDocument/unknown", protocol.MethodTextDocumentSignatureHelp, "textDocument/inlayHint", "textDocument/diagnostic", "$/unknown"} {
		err := ts.call(m, map[string]any{}, nil)
		if rpcCode(err) != jsonrpc2.MethodNotFound || !strings.Contains(err.Error(), "lockwise does not implement") {
			t.Errorf("%s: got %v, want MethodNotFound with a message", m, err)
		}
	}
	// Without params at all, too (v0.12's fallback would answer ParseError).
	raw := `{"jsonrpc":"2.0","id":"no-params","method":"textDocument/unknown"}`
	if err := ts.stream.writeRaw(frame(raw)); err != nil {
		t.Fatal(err)
	}
	if err := ts.stream.response(t, "no-params").Err(); rpcCode(err) != jsonrpc2.MethodNotFound {
		t.Errorf("no params: got %v", err)
	}
	for _, m := range []string{"$/unknownNotification", protocol.MethodWorkspaceDidChangeWatchedFiles, protocol.MethodWorkDoneProgressCancel, "$/logTrace"} {
		ts.notify(m, map[string]any{"x": 1})
	}
	ts.notify(protocol.MethodSetTrace, map[string]any{"value": "verbose"})
	if err := ts.shutdownAndExit(); err != nil {
		t.Errorf("Serve = %v", err)
	}
}

func TestRequestsBeforeInitialize(t *testing.T) {
	ts := startServer(t, serverConfig{noInit: true})
	uri := ts.uri(migrationPath)
	ts.openURI(uri, 1, migration) // dropped: not initialized
	for _, m := range []string{protocol.MethodTextDocumentHover, protocol.MethodShutdown, "textDocument/unknown"} {
		err := ts.call(m, map[string]any{"textDocument": map[string]any{"uri": uri}, "position": protocol.Position{}}, nil)
		if rpcCode(err) != jsonrpc2.ServerNotInitialized {
			t.Errorf("%s before initialize: got %v, want ServerNotInitialized", m, err)
		}
	}
	ts.initialize(json.RawMessage(clientPresets["vscode"]), nil)
	if err := ts.call(protocol.MethodInitialize, map[string]any{"capabilities": map[string]any{}}, nil); rpcCode(err) != jsonrpc2.InvalidRequest {
		t.Errorf("second initialize: got %v, want InvalidRequest", err)
	}
	if h := ts.hover(uri, protocol.Position{}); h != nil {
		t.Errorf("the didOpen before initialize must have been dropped, got hover %v", h)
	}
	// The shutdown rejected before initialize does not count: exit says 1.
	ts.notify(protocol.MethodExit, nil)
	if err := ts.serveResult(); !errors.Is(err, ErrExitWithoutShutdown) {
		t.Errorf("Serve = %v", err)
	}
}

func TestShutdownAndExit(t *testing.T) {
	t.Run("params null", func(t *testing.T) {
		ts := startServer(t, serverConfig{})
		if err := ts.shutdownAndExit(); err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
	})
	t.Run("params {}", func(t *testing.T) {
		ts := startServer(t, serverConfig{})
		ts.mustCall(protocol.MethodShutdown, map[string]any{}, nil)
		// After shutdown, requests are refused and only exit is accepted.
		if err := ts.call(protocol.MethodTextDocumentHover, map[string]any{}, nil); rpcCode(err) != jsonrpc2.InvalidRequest {
			t.Errorf("request after shutdown: %v", err)
		}
		ts.notify(protocol.MethodExit, map[string]any{})
		if err := ts.serveResult(); err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
	})
	t.Run("connection lost", func(t *testing.T) {
		ts := startServer(t, serverConfig{})
		_ = ts.conn.Close()
		if err := ts.serveResult(); !errors.Is(err, ErrExitWithoutShutdown) {
			t.Errorf("Serve = %v", err)
		}
	})
	t.Run("exit overtakes a slow request", func(t *testing.T) {
		// A hover waits for a slow analysis; shutdown queues behind it
		// (AsyncHandler), exit does not: Serve must return at once, with
		// status 0 since shutdown was received before exit.
		ts := startServer(t, serverConfig{engine: &fakeEngine{delay: time.Minute}, wait: time.Minute})
		uri := ts.open(migrationPath, migration)
		go ts.call(protocol.MethodTextDocumentHover, map[string]any{"textDocument": map[string]any{"uri": uri}, "position": protocol.Position{}}, nil)
		go ts.call(protocol.MethodShutdown, nil, nil)
		time.Sleep(50 * time.Millisecond) // let both reach the server
		start := time.Now()
		ts.notify(protocol.MethodExit, nil)
		if err := ts.serveResult(); err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("exit took %v", d)
		}
	})
}

func TestCancelNumericID(t *testing.T) {
	ts := startServer(t, serverConfig{engine: &fakeEngine{delay: time.Minute}, wait: time.Minute})
	uri := ts.open(migrationPath, migration)
	// Raw frames, so that the ids are ours: one number, one string.
	for _, id := range []string{`900001`, `"s-1"`} {
		req := fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"textDocument/hover","params":{"textDocument":{"uri":%q},"position":{"line":0,"character":0}}}`, id, uri)
		if err := ts.stream.writeRaw(frame(req)); err != nil {
			t.Fatal(err)
		}
		if err := ts.stream.writeRaw(frame(fmt.Sprintf(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":%s}}`, id))); err != nil {
			t.Fatal(err)
		}
		resp := ts.stream.response(t, strings.Trim(id, `"`))
		if rpcCode(resp.Err()) != protocol.CodeRequestCancelled {
			t.Errorf("id %s: got %v, want RequestCancelled", id, resp.Err())
		}
	}
	// Cancelling an unknown or malformed id is harmless.
	ts.notify(protocol.MethodCancelRequest, map[string]any{"id": 12345})
	ts.notify(protocol.MethodCancelRequest, map[string]any{"id": []int{1}})
}

func TestOutOfRangePositions(t *testing.T) {
	ts := startServer(t, serverConfig{})
	uri := ts.open(migrationPath, migration)
	ts.client.await(t, uri, 1)
	far := protocol.Position{Line: 999, Character: 5}
	if h := ts.hover(uri, far); h != nil {
		t.Errorf("hover far past the end: %v", h)
	}
	if a := ts.codeActions(uri, protocol.Range{Start: far, End: far}); len(a) != 0 {
		t.Errorf("code actions far past the end: %v", a)
	}
	// Past the end of a line clamps: the hover of the line's operation.
	if h := ts.hover(uri, pos(t, migration, "create index(:users", 200)); h == nil || !strings.Contains(h.Contents.Value, "users") {
		t.Errorf("hover past the end of the line: %v", h)
	}
	// A change far out of range is rejected and the text kept.
	ts.change(uri, 2, contentChange{Range: &protocol.Range{Start: far, End: far}, Text: "x"})
	if got := ts.serverText(t, uri); !strings.Contains(got, digest(migration)) {
		t.Errorf("text after a bad change: %s", got)
	}
	// ...and a later valid change still applies (its version is newer).
	ts.change(uri, 3, contentChange{Range: &protocol.Range{}, Text: "# hi\n"})
	ts.client.await(t, uri, 3)
	if got := ts.serverText(t, uri); !strings.Contains(got, digest("# hi\n"+migration)) {
		t.Errorf("text after a good change: %s", got)
	}
}

func TestStaleAndUnknownDocuments(t *testing.T) {
	ts := startServer(t, serverConfig{})
	uri := ts.open(migrationPath, migration)
	ts.client.await(t, uri, 1)
	ts.change(uri, 5, contentChange{Range: &protocol.Range{}, Text: "# v5\n"})
	ts.change(uri, 4, contentChange{Range: &protocol.Range{}, Text: "# stale\n"}) // older: ignored
	ts.change(uri, 5, contentChange{Range: &protocol.Range{}, Text: "# same\n"})  // not newer: ignored
	ts.client.await(t, uri, 5)
	if got := ts.serverText(t, uri); !strings.Contains(got, digest("# v5\n"+migration)) {
		t.Errorf("stale changes were applied: %s", got)
	}
	// A full-text change (no range) replaces everything under incremental sync.
	ts.change(uri, 6, contentChange{Text: "create index(:t, [:a])\n"})
	if got := ts.client.await(t, uri, 6); len(got.Diagnostics) != 1 || got.Diagnostics[0].Range.Start.Line != 0 {
		t.Errorf("after a full change: %+v", got.Diagnostics)
	}
	other := ts.uri("priv/repo/migrations/20240101000009_never_opened.exs")
	ts.change(other, 2, contentChange{Text: "x"})
	ts.notify(protocol.MethodTextDocumentDidClose, map[string]any{"textDocument": map[string]any{"uri": other}})
	if h := ts.hover(other, protocol.Position{}); h != nil {
		t.Errorf("hover of a document never opened: %v", h)
	}
	// Opening an open document again replaces it.
	ts.openURI(uri, 1, "create index(:a, [:b])\ncreate index(:c, [:d])\n")
	ts.client.waitFor(t, "the reopened text's two diagnostics", func() bool {
		last := ts.client.pubs[len(ts.client.pubs)-1]
		return last.URI == uri && len(last.Diagnostics) == 2
	})
	if !strings.Contains(ts.logs.String(), "is not newer than") {
		t.Error("a stale version should be logged")
	}
}

func TestCloseClearsDiagnostics(t *testing.T) {
	ts := startServer(t, serverConfig{})
	uri := ts.open(migrationPath, migration)
	ts.client.await(t, uri, 1)
	ts.notify(protocol.MethodTextDocumentDidClose, map[string]any{"textDocument": map[string]any{"uri": uri}})
	ts.client.waitFor(t, "[] after close", func() bool {
		pubs := ts.client.pubs
		last := pubs[len(pubs)-1]
		return last.URI == uri && last.Version == nil && string(last.Raw) == "[]"
	})
	// Requests on the closed document answer nothing.
	if h := ts.hover(uri, protocol.Position{}); h != nil {
		t.Errorf("hover after close: %v", h)
	}
}

func TestCleanFilePublishesEmptyList(t *testing.T) {
	ts := startServer(t, serverConfig{})
	uri := ts.open(migrationPath, "defmodule M do\nend\n")
	if got := ts.client.await(t, uri, 1); string(got.Raw) != "[]" {
		t.Errorf("diagnostics = %s, want []", got.Raw)
	}
}

func TestDiagnosticFields(t *testing.T) {
	ts := startServer(t, serverConfig{})
	uri := ts.open(migrationPath, migration)
	d := ts.client.await(t, uri, 1).Diagnostics[0]
	if d.CodeDescription == nil || d.CodeDescription.Href != "https://lockwise.dev/rules/"+fakeRule {
		t.Errorf("codeDescription = %+v", d.CodeDescription)
	}
	if d.Severity != protocol.DiagnosticSeverityWarning || d.Source != Source {
		t.Errorf("severity/source = %v %q", d.Severity, d.Source)
	}
	if len(d.RelatedInformation) != 1 || string(d.RelatedInformation[0].Location.URI) != uri ||
		d.RelatedInformation[0].Location.Range.Start != pos(t, migration, "defmodule", 0) {
		t.Errorf("relatedInformation = %+v", d.RelatedInformation)
	}
}

func TestUntitledAndOddURIs(t *testing.T) {
	ts := startServer(t, serverConfig{})
	for _, uri := range []string{"untitled:Untitled-1", "file://", "not a uri at all", "file:///tmp/%zz", "vscode-notebook-cell:/x.exs#W1"} {
		ts.openURI(uri, 1, "create index(:users, [:email])\n")
		ts.change(uri, 2, contentChange{Range: &protocol.Range{}, Text: "é"})
		if h := ts.hover(uri, protocol.Position{}); h != nil {
			t.Errorf("%s: hover %v", uri, h)
		}
		if a := ts.codeActions(uri, protocol.Range{}); len(a) != 0 {
			t.Errorf("%s: actions %v", uri, a)
		}
		var syms []json.RawMessage
		ts.mustCall(protocol.MethodTextDocumentDocumentSymbol, map[string]any{"textDocument": map[string]any{"uri": uri}}, &syms)
		ts.notify(protocol.MethodTextDocumentDidClose, map[string]any{"textDocument": map[string]any{"uri": uri}})
	}
	for _, p := range ts.client.all() {
		if len(p.Diagnostics) > 0 {
			t.Errorf("diagnostics published for %s", p.URI)
		}
	}
}

func TestDeletedWhileOpen(t *testing.T) {
	ts := startServer(t, serverConfig{})
	ts.writeFile(migrationPath, migration)
	uri := ts.open(migrationPath, migration)
	ts.client.await(t, uri, 1)
	if err := os.RemoveAll(filepath.Join(ts.root, "priv")); err != nil {
		t.Fatal(err)
	}
	ts.change(uri, 2, contentChange{Range: &protocol.Range{Start: pos(t, migration, "  end\nend", 0), End: pos(t, migration, "  end\nend", 0)}, Text: "    create index(:orders, [:id])\n"})
	if got := ts.client.await(t, uri, 2); len(got.Diagnostics) != 2 {
		t.Errorf("after deleting the file: %+v", got.Diagnostics)
	}
	ts.notify(protocol.MethodTextDocumentDidSave, map[string]any{"textDocument": map[string]any{"uri": uri}})
	if h := ts.hover(uri, pos(t, migration, "index(:users", 0)); h == nil {
		t.Error("no hover after the file was deleted")
	}
}

func TestEnginePanicIsSurvived(t *testing.T) {
	ts := startServer(t, serverConfig{engine: &fakeEngine{panics: "BOOM"}})
	uri := ts.open(migrationPath, migration)
	ts.client.await(t, uri, 1)
	ts.change(uri, 2, contentChange{Range: &protocol.Range{}, Text: "# BOOM\n"})
	if got := ts.client.await(t, uri, 2); len(got.Diagnostics) != 0 {
		t.Errorf("a panicking run must publish nothing found: %+v", got.Diagnostics)
	}
	ts.change(uri, 3, contentChange{Range: &protocol.Range{Start: protocol.Position{}, End: protocol.Position{Line: 1}}, Text: ""})
	if got := ts.client.await(t, uri, 3); len(got.Diagnostics) != 1 {
		t.Errorf("after the panic: %+v", got.Diagnostics)
	}
	if !strings.Contains(ts.logs.String(), "engine panic") {
		t.Error("the panic should be logged")
	}
}

func TestHandlerPanicIsAnswered(t *testing.T) {
	s := newServer(context.Background(), nil, Options{Engine: &fakeEngine{}}, discardLogger())
	var got error
	replied := 0
	h := s.replyOnce(s.recoverPanics(func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		panic("boom")
	}))
	call, _ := jsonrpc2.NewCall(jsonrpc2.NewNumberID(1), "textDocument/hover", nil)
	err := h(context.Background(), func(ctx context.Context, result any, err error) error {
		replied++
		got = err
		return nil
	}, call)
	if err != nil || replied != 1 || rpcCode(got) != jsonrpc2.InternalError {
		t.Errorf("err=%v replied=%d reply=%v", err, replied, got)
	}
}

func TestLargeFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("defmodule App.Repo.Migrations.Big do\n  use Ecto.Migration\n  def change do\n")
	for i := 0; i < 20000-6; i++ {
		if i%100 == 0 {
			fmt.Fprintf(&b, "    create index(:t%d, [:c]) # é 𐐀\n", i)
		} else {
			fmt.Fprintf(&b, "    alter table(:t%d) do add :c%d, :string end\n", i, i)
		}
	}
	b.WriteString("  end\nend\n")
	text := b.String()
	ts := startServer(t, serverConfig{})
	start := time.Now()
	uri := ts.open(migrationPath, text)
	if got := ts.client.await(t, uri, 1); len(got.Diagnostics) != 200 {
		t.Fatalf("want 200 diagnostics, got %d", len(got.Diagnostics))
	}
	t.Logf("20,000 lines: first diagnostics after %v", time.Since(start))
	start = time.Now()
	at := naivePosition(text, strings.LastIndex(text, "create index("), 0)
	ts.change(uri, 2, contentChange{Range: &protocol.Range{Start: at, End: at}, Text: "é"})
	got := ts.client.await(t, uri, 2)
	t.Logf("20,000 lines: diagnostics of an edit near the end after %v", time.Since(start))
	last := got.Diagnostics[len(got.Diagnostics)-1]
	if last.Range.Start.Line != at.Line || last.Range.Start.Character != at.Character+1 {
		t.Errorf("last diagnostic at %v, want %v+1", last.Range.Start, at)
	}
	if h := ts.hover(uri, protocol.Position{Line: at.Line, Character: at.Character + 3}); h == nil {
		t.Error("no hover near the end")
	}
}

func TestSettingsChanges(t *testing.T) {
	ts := startServer(t, serverConfig{config: map[string]any{"rules": map[string]string{fakeRule: "info"}}})
	uri := ts.open(migrationPath, migration)
	severityOf := func() protocol.DiagnosticSeverity {
		pubs := ts.client.pubs
		for i := len(pubs) - 1; i >= 0; i-- {
			if pubs[i].URI == uri && len(pubs[i].Diagnostics) > 0 {
				return pubs[i].Diagnostics[0].Severity
			}
		}
		return 0
	}
	// The configuration pulled after initialized applies (re-analysis of version 1).
	ts.client.waitFor(t, "severity info from workspace/configuration", func() bool { return severityOf() == protocol.DiagnosticSeverityInformation })

	// eglot's empty push is tolerated and pulls again; so is null.
	ts.client.setConfig(map[string]any{"rules": map[string]string{fakeRule: "error"}})
	ts.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{}})
	ts.client.waitFor(t, "severity error after an empty push", func() bool { return severityOf() == protocol.DiagnosticSeverityError })
	ts.notify(protocol.MethodWorkspaceDidChangeConfiguration, nil)
	ts.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": nil})

	// A pushed "lockwise" section; the client then answers null (eglot): the push holds.
	ts.client.setConfig(nil)
	ts.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"lockwise": map[string]any{"lock_hints": false, "rules": map[string]string{fakeRule: "hint"}}}})
	ts.client.waitFor(t, "severity hint after a push", func() bool { return severityOf() == protocol.DiagnosticSeverityHint })
	var lenses []protocol.CodeLens
	ts.mustCall(protocol.MethodTextDocumentCodeLens, map[string]any{"textDocument": map[string]any{"uri": uri}}, &lenses)
	if len(lenses) != 0 {
		t.Errorf("lock_hints false: got %d lenses", len(lenses))
	}
	ts.client.waitFor(t, "workspace/codeLens/refresh after lock_hints changed", func() bool { return ts.client.refreshes == 1 })
	// Turning the rule off empties the list; new globs make the file not a
	// migration any more, which clears nothing twice.
	ts.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"migrations": []string{"db/migrate"}}})
	ts.client.waitFor(t, "[] once the file is no migration", func() bool {
		last := ts.client.pubs[len(ts.client.pubs)-1]
		return last.URI == uri && len(last.Diagnostics) == 0
	})
	if h := ts.hover(uri, pos(t, migration, "index(:users", 0)); h != nil {
		t.Errorf("hover on a file that is no longer a migration: %v", h)
	}
	// Bad values are reported in the log and do not discard the good ones.
	ts.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"postgres_version": "x", "rules": map[string]string{fakeRule: "loud"}, "lock_hints": true}})
	ts.client.waitFor(t, "a log of the bad settings", func() bool { return strings.Contains(ts.logs.String(), `unknown severity \"loud\"`) })
}

func TestFlatSymbolsAndCommandOnlyClients(t *testing.T) {
	caps := json.RawMessage(`{"workspace": {"applyEdit": true}}`) // no literals, no hierarchy
	ts := startServer(t, serverConfig{caps: caps})
	uri := ts.open(migrationPath, migration)
	ts.client.await(t, uri, 1)
	var syms []protocol.SymbolInformation
	ts.mustCall(protocol.MethodTextDocumentDocumentSymbol, map[string]any{"textDocument": map[string]any{"uri": uri}}, &syms)
	if len(syms) != 4 || syms[0].Name != "App.Repo.Migrations.AddIndex" || syms[2].ContainerName != "change" {
		t.Errorf("flat symbols = %+v", syms)
	}
	var cmds []protocol.Command
	at := pos(t, migration, "create index(:users", 0)
	ts.mustCall(protocol.MethodTextDocumentCodeAction, map[string]any{
		"textDocument": map[string]any{"uri": uri}, "range": protocol.Range{Start: at, End: at}, "context": map[string]any{"diagnostics": []any{}},
	}, &cmds)
	if len(cmds) != 3 || cmds[0].Command != CommandApplyFix {
		t.Fatalf("commands = %+v", cmds)
	}
	ts.mustCall(protocol.MethodWorkspaceExecuteCommand, cmds[0], nil)
	// The command replies after the client answered workspace/applyEdit
	// (gopls order; eglot needs it): the edit is recorded by now.
	ts.client.mu.Lock()
	edits := slices.Clone(ts.client.edits)
	ts.client.mu.Unlock()
	if len(edits) != 1 {
		t.Fatalf("workspace/applyEdit not received before the command's reply: %d", len(edits))
	}
	if e := edits[0].Edit; len(e.Changes[protocol.DocumentURI(uri)]) != 1 {
		t.Errorf("applied edit = %+v", e)
	}
}

func TestCodeActionMatching(t *testing.T) {
	ts := startServer(t, serverConfig{preset: "nvim07"})
	uri := ts.open(migrationPath, migration)
	d := ts.client.await(t, uri, 1).Diagnostics[0]
	// A range elsewhere, but the diagnostic listed in context (columns
	// mangled as Neovim 0.7 does on non-ASCII lines): still offered.
	var actions []codeAction
	elsewhere := protocol.Range{Start: protocol.Position{Line: 1}, End: protocol.Position{Line: 1}}
	mangled := d
	mangled.Range.Start.Character += 3
	ts.mustCall(protocol.MethodTextDocumentCodeAction, map[string]any{
		"textDocument": map[string]any{"uri": uri}, "range": elsewhere,
		"context": map[string]any{"diagnostics": []any{mangled}, "only": []string{"quickfix"}},
	}, &actions)
	if len(actions) != 2 {
		t.Errorf("listed diagnostic: %v", titles(actions))
	}
	// Nothing there, nothing listed: nothing offered.
	if a := ts.codeActions(uri, elsewhere); len(a) != 0 {
		t.Errorf("unrelated range: %v", titles(a))
	}
	// The diagnostic's end counts as inside; only filters hierarchically;
	// source actions come only on request.
	end := d.Range.End
	if a := ts.codeActions(uri, protocol.Range{Start: end, End: end}); len(a) != 3 {
		t.Errorf("at the end: %v", titles(a))
	}
	if a := ts.codeActions(uri, protocol.Range{Start: end, End: end}, "refactor.rewrite"); len(a) != 1 {
		t.Errorf("only refactor.rewrite: %v", titles(a))
	}
	if a := ts.codeActions(uri, elsewhere, "source"); len(a) != 1 || a[0].Kind != FixAllKind {
		t.Errorf("only source: %v", titles(a))
	}
	// Resolving an action after the document changed: ContentModified.
	a := ts.codeActions(uri, protocol.Range{Start: end, End: end}, "quickfix")[0]
	ts.change(uri, 2, contentChange{Range: &protocol.Range{}, Text: "# moved\n"})
	ts.client.await(t, uri, 2)
	if err := ts.call(methodCodeActionResolve, a, nil); rpcCode(err) != protocol.CodeContentModified {
		t.Errorf("stale resolve: %v", err)
	}
}

func TestTreeFollowsIncrementalEdits(t *testing.T) {
	// Symbols come from the grammar.File of the incrementally edited tree:
	// after edits they must equal those of a fresh parse.
	ts := startServer(t, serverConfig{})
	uri := ts.open(migrationPath, migration)
	text := migration
	edit := func(v int32, at int, del int, ins string) {
		r := protocol.Range{Start: naivePosition(text, at, 0), End: naivePosition(text, at+del, 0)}
		ts.change(uri, v, contentChange{Range: &r, Text: ins})
		text = text[:at] + ins + text[at+del:]
	}
	i := strings.Index(text, "  end\nend")
	edit(2, i, 0, "    alter table(:é) do\n      add :𐐀, :string\n    end\n")
	edit(3, strings.Index(text, "def change"), len("def change"), "def up")
	ts.client.await(t, uri, 3)
	var got []protocol.DocumentSymbol
	ts.mustCall(protocol.MethodTextDocumentDocumentSymbol, map[string]any{"textDocument": map[string]any{"uri": uri}}, &got)
	want := documentSymbols(NewMapper([]byte(text)), fakeSymbols(grammar.Parse([]byte(text))))
	if mustJSON(got) != mustJSON(want) {
		t.Errorf("symbols after edits:\n got %s\nwant %s", mustJSON(got), mustJSON(want))
	}
}

func TestInitializedWithNullParams(t *testing.T) {
	// v0.12 would drop an initialized notification with null params, and
	// with it the configuration pull.
	ts := startServer(t, serverConfig{noInit: true, config: map[string]any{"lock_hints": false}})
	ts.initializeOnly(json.RawMessage(clientPresets["vscode"]), nil)
	ts.notify(protocol.MethodInitialized, nil)
	ts.client.waitFor(t, "workspace/configuration", func() bool { return ts.client.configCalls == 1 })
}
