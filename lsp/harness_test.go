package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// The test harness runs the real server over the real wire: two jsonrpc2
// streams on a net.Pipe, as buf's buflsp tests do. The client side is a
// fakeClient that records what the server sends and answers its requests.

// waitLimit bounds every wait in tests; -race makes everything slower.
const waitLimit = 20 * time.Second

// Client capability presets, modelled on what the real clients send
// (reference/editor-clients.md).
var clientPresets = map[string]string{
	"vscode": `{
	  "workspace": {"applyEdit": true, "configuration": true, "workspaceFolders": true,
	    "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]},
	    "codeLens": {"refreshSupport": true}, "didChangeWatchedFiles": {"dynamicRegistration": true}},
	  "window": {"workDoneProgress": true},
	  "textDocument": {
	    "hover": {"contentFormat": ["markdown", "plaintext"]},
	    "completion": {"completionItem": {"documentationFormat": ["markdown", "plaintext"]}},
	    "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
	    "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor", "source"]}},
	      "disabledSupport": true, "dataSupport": true, "resolveSupport": {"properties": ["edit"]}},
	    "publishDiagnostics": {"relatedInformation": true, "versionSupport": true, "codeDescriptionSupport": true}},
	  "general": {"positionEncodings": ["utf-16"]}
	}`,
	// Eglot 1.9 without markdown-mode: plain text hovers, no resolve, no
	// resource operations, [null] as configuration.
	"eglot": `{
	  "workspace": {"applyEdit": true, "configuration": true, "workspaceEdit": {"documentChanges": true},
	    "didChangeWatchedFiles": {"dynamicRegistration": true}},
	  "window": {"workDoneProgress": true},
	  "textDocument": {
	    "hover": {"contentFormat": ["plaintext"]},
	    "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
	    "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor", "source"]}}}}
	}`,
	// Neovim 0.7: resourceOperations without documentChanges, no
	// workspace.configuration, no file watching, flat symbols are fine but
	// it sends hierarchical.
	"nvim07": `{
	  "workspace": {"applyEdit": true, "workspaceEdit": {"resourceOperations": ["rename", "create", "delete"]}},
	  "window": {"workDoneProgress": true},
	  "textDocument": {
	    "hover": {"contentFormat": ["markdown", "plaintext"]},
	    "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
	    "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor", "source"]}},
	      "dataSupport": true, "resolveSupport": {"properties": ["edit"]}}}
	}`,
	// A client that can apply nothing itself: no applyEdit, no file creation.
	"bare": `{
	  "textDocument": {
	    "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor"]}},
	      "disabledSupport": true}}
	}`,
}

type serverConfig struct {
	engine   Engine
	debounce time.Duration // 0: 1ms, to keep tests fast; the default is exercised separately
	wait     time.Duration
	preset   string          // client capabilities preset; "" = vscode
	caps     json.RawMessage // overrides preset
	initOpts any
	config   any // the client's answer to workspace/configuration; nil = null
	root     string
	noInit   bool              // do not send initialize
	files    map[string]string // written under root before initialize (relative path → content)
}

type testServer struct {
	t      testing.TB
	root   string
	conn   jsonrpc2.Conn
	stream *lockedStream
	client *fakeClient
	done   chan error // Serve's result
	logs   *syncBuffer
}

func startServer(t testing.TB, cfg serverConfig) *testServer {
	t.Helper()
	if cfg.engine == nil {
		cfg.engine = &fakeEngine{}
	}
	if cfg.debounce == 0 {
		cfg.debounce = time.Millisecond
	}
	if cfg.root == "" {
		cfg.root = t.TempDir()
	}
	for rel, content := range cfg.files {
		p := filepath.Join(cfg.root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	serverEnd, clientEnd := net.Pipe()
	logs := &syncBuffer{}
	ts := &testServer{t: t, root: cfg.root, logs: logs, done: make(chan error, 1)}
	go func() {
		ts.done <- Serve(context.Background(), serverEnd, serverEnd, Options{
			Engine: cfg.engine, Log: logs, Verbose: os.Getenv("LOCKWISE_TEST_VERBOSE") != "",
			Debounce: cfg.debounce, RequestWait: cfg.wait, Version: "test",
		})
	}()
	ts.stream = &lockedStream{Stream: jsonrpc2.NewStream(clientEnd), raw: clientEnd}
	ts.conn = jsonrpc2.NewConn(ts.stream)
	ts.client = newFakeClient(ts.conn)
	ts.client.setConfig(cfg.config)
	ts.conn.Go(context.Background(), ts.client.handle)
	t.Cleanup(func() {
		_ = ts.conn.Close()
		select {
		case <-ts.done:
		case <-time.After(waitLimit):
			t.Errorf("server did not stop after the connection closed")
		}
		if t.Failed() || os.Getenv("LOCKWISE_TEST_VERBOSE") != "" {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	if !cfg.noInit {
		caps := cfg.caps
		if caps == nil {
			preset := cfg.preset
			if preset == "" {
				preset = "vscode"
			}
			caps = json.RawMessage(clientPresets[preset])
		}
		ts.initialize(caps, cfg.initOpts)
	}
	return ts
}

func (ts *testServer) initialize(caps json.RawMessage, initOpts any) {
	ts.t.Helper()
	ts.initializeOnly(caps, initOpts)
	ts.notify(protocol.MethodInitialized, map[string]any{})
}

// initializeOnly sends initialize but not initialized.
func (ts *testServer) initializeOnly(caps json.RawMessage, initOpts any) {
	ts.t.Helper()
	rootURI := string(pathToURI(ts.root))
	params := map[string]any{
		"processId":             nil,
		"rootUri":               rootURI,
		"workspaceFolders":      []map[string]string{{"uri": rootURI, "name": "test"}},
		"capabilities":          caps,
		"initializationOptions": initOpts,
		"clientInfo":            map[string]string{"name": "lockwise-test", "version": "1"},
	}
	var res map[string]any
	if err := ts.call(protocol.MethodInitialize, params, &res); err != nil {
		ts.t.Fatalf("initialize: %v", err)
	}
}

func (ts *testServer) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	_, err := ts.conn.Call(ctx, method, params, result)
	return err
}

func (ts *testServer) mustCall(method string, params, result any) {
	ts.t.Helper()
	if err := ts.call(method, params, result); err != nil {
		ts.t.Fatalf("%s: %v", method, err)
	}
}

func (ts *testServer) notify(method string, params any) {
	ts.t.Helper()
	if err := ts.conn.Notify(context.Background(), method, params); err != nil {
		ts.t.Fatalf("%s: %v", method, err)
	}
}

// uri is the file: URI of a path relative to the workspace root.
func (ts *testServer) uri(rel string) string {
	return string(pathToURI(filepath.Join(ts.root, filepath.FromSlash(rel))))
}

// writeFile puts a file on disk under the workspace root.
func (ts *testServer) writeFile(rel, content string) {
	ts.t.Helper()
	p := filepath.Join(ts.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		ts.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		ts.t.Fatal(err)
	}
}

// open sends didOpen at version 1 and returns the URI.
func (ts *testServer) open(rel, text string) string {
	ts.t.Helper()
	uri := rel
	if !strings.Contains(rel, ":") {
		uri = ts.uri(rel)
	}
	ts.openURI(uri, 1, text)
	return uri
}

func (ts *testServer) openURI(uri string, version int32, text string) {
	ts.t.Helper()
	ts.notify(protocol.MethodTextDocumentDidOpen, map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": "elixir", "version": version, "text": text},
	})
}

// change sends one didChange with the given content changes.
func (ts *testServer) change(uri string, version int32, changes ...contentChange) {
	ts.t.Helper()
	ts.notify(protocol.MethodTextDocumentDidChange, map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": version},
		"contentChanges": changes,
	})
}

func (ts *testServer) hover(uri string, pos protocol.Position) *protocol.Hover {
	ts.t.Helper()
	var h *protocol.Hover
	ts.mustCall(protocol.MethodTextDocumentHover, map[string]any{
		"textDocument": map[string]any{"uri": uri}, "position": pos,
	}, &h)
	return h
}

func (ts *testServer) codeActions(uri string, r protocol.Range, only ...string) []codeAction {
	ts.t.Helper()
	var actions []codeAction
	ts.mustCall(protocol.MethodTextDocumentCodeAction, map[string]any{
		"textDocument": map[string]any{"uri": uri}, "range": r,
		"context": map[string]any{"diagnostics": []any{}, "only": only},
	}, &actions)
	return actions
}

// shutdownAndExit ends the session properly and returns Serve's result.
func (ts *testServer) shutdownAndExit() error {
	ts.t.Helper()
	ts.mustCall(protocol.MethodShutdown, nil, nil)
	ts.notify(protocol.MethodExit, nil)
	return ts.serveResult()
}

func (ts *testServer) serveResult() error {
	ts.t.Helper()
	select {
	case err := <-ts.done:
		ts.done <- err // for Cleanup
		return err
	case <-time.After(waitLimit):
		ts.t.Fatal("Serve did not return")
		return nil
	}
}

// lockedStream lets a test write raw bytes on the client's side of the
// wire between whole messages, and records the responses it reads (the
// client connection drops responses to requests it did not send itself).
type lockedStream struct {
	jsonrpc2.Stream
	mu  sync.Mutex
	raw net.Conn

	rmu       sync.Mutex
	responses map[string]*jsonrpc2.Response // by fmt %v of the id
	arrived   chan struct{}
}

func (s *lockedStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	msg, n, err := s.Stream.Read(ctx)
	if resp, ok := msg.(*jsonrpc2.Response); ok {
		s.rmu.Lock()
		if s.responses == nil {
			s.responses = map[string]*jsonrpc2.Response{}
			s.arrived = make(chan struct{})
		}
		s.responses[fmt.Sprint(resp.ID())] = resp
		close(s.arrived)
		s.arrived = make(chan struct{})
		s.rmu.Unlock()
	}
	return msg, n, err
}

// response waits for the response with the given id ("7" or "abc").
func (s *lockedStream) response(t testing.TB, id string) *jsonrpc2.Response {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		s.rmu.Lock()
		if s.responses == nil {
			s.responses = map[string]*jsonrpc2.Response{}
			s.arrived = make(chan struct{})
		}
		resp, ch := s.responses[id], s.arrived
		s.rmu.Unlock()
		if resp != nil {
			return resp
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("no response with id %s", id)
		}
	}
}

// frame wraps a body in the LSP base protocol.
func frame(body string) []byte {
	return []byte(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body))
}

func (s *lockedStream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Stream.Write(ctx, msg)
}

func (s *lockedStream) writeRaw(b []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.raw.Write(b)
	return err
}

// published is one textDocument/publishDiagnostics as received.
type published struct {
	URI         string                `json:"uri"`
	Version     *int32                `json:"version"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
	Raw         json.RawMessage       `json:"-"`
}

// fakeClient records what the server sends and answers its requests. Its
// handler runs on the client connection's read loop, so it never blocks.
type fakeClient struct {
	conn jsonrpc2.Conn

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced on every event
	pubs        []published   // in arrival order
	edits       []applyWorkspaceEditParams
	messages    []protocol.ShowMessageParams
	config      json.RawMessage
	configCalls int
	refreshes   int // workspace/codeLens/refresh
	applyResult applyWorkspaceEditResult
	progress    []string // "create <token>", then "<kind> <token> <title/message>" per $/progress
	registered  []string // methods registered with client/registerCapability
	watchers    []string // glob patterns of the didChangeWatchedFiles registration
}

func newFakeClient(conn jsonrpc2.Conn) *fakeClient {
	return &fakeClient{conn: conn, changed: make(chan struct{}), applyResult: applyWorkspaceEditResult{Applied: true}}
}

func (c *fakeClient) setConfig(v any) {
	data, _ := json.Marshal(v)
	c.mu.Lock()
	c.config = data
	c.mu.Unlock()
}

func (c *fakeClient) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	c.mu.Lock()
	defer func() {
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
	}()
	params := []byte(req.Params())
	switch req.Method() {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var p published
		if err := json.Unmarshal(params, &p); err != nil {
			panic(err)
		}
		var raw struct {
			Diagnostics json.RawMessage `json:"diagnostics"`
		}
		_ = json.Unmarshal(params, &raw)
		p.Raw = raw.Diagnostics
		c.pubs = append(c.pubs, p)
		return reply(ctx, nil, nil)
	case "workspace/configuration":
		c.configCalls++
		return reply(ctx, []json.RawMessage{c.config}, nil)
	case "workspace/applyEdit":
		var p applyWorkspaceEditParams
		if err := json.Unmarshal(params, &p); err != nil {
			return reply(ctx, nil, err)
		}
		c.edits = append(c.edits, p)
		return reply(ctx, c.applyResult, nil)
	case protocol.MethodWindowShowMessage:
		var p protocol.ShowMessageParams
		_ = json.Unmarshal(params, &p)
		c.messages = append(c.messages, p)
		return reply(ctx, nil, nil)
	case protocol.MethodWindowLogMessage:
		return reply(ctx, nil, nil)
	case "workspace/codeLens/refresh":
		c.refreshes++
		return reply(ctx, nil, nil)
	case "window/workDoneProgress/create":
		var p workDoneProgressCreateParams
		_ = json.Unmarshal(params, &p)
		c.progress = append(c.progress, "create "+p.Token)
		return reply(ctx, nil, nil)
	case protocol.MethodProgress:
		var p struct {
			Token string           `json:"token"`
			Value workDoneProgress `json:"value"`
		}
		_ = json.Unmarshal(params, &p)
		line := p.Value.Kind + " " + p.Token + " " + p.Value.Title + p.Value.Message
		if p.Value.Percentage != nil {
			line += fmt.Sprintf(" %d%%", *p.Value.Percentage)
		}
		c.progress = append(c.progress, line)
		return reply(ctx, nil, nil)
	case protocol.MethodClientRegisterCapability:
		var p struct {
			Registrations []struct {
				Method          string `json:"method"`
				RegisterOptions struct {
					Watchers []struct {
						GlobPattern string `json:"globPattern"`
					} `json:"watchers"`
				} `json:"registerOptions"`
			} `json:"registrations"`
		}
		_ = json.Unmarshal(params, &p)
		for _, r := range p.Registrations {
			c.registered = append(c.registered, r.Method)
			for _, w := range r.RegisterOptions.Watchers {
				c.watchers = append(c.watchers, w.GlobPattern)
			}
		}
		return reply(ctx, nil, nil)
	}
	return reply(ctx, nil, jsonrpc2.NewError(jsonrpc2.MethodNotFound, req.Method()))
}

// waitFor waits until cond (called with the client's lock held) holds.
func (c *fakeClient) waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		c.mu.Lock()
		ok := cond()
		ch := c.changed
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// await returns the latest diagnostics published for uri at version.
func (c *fakeClient) await(t testing.TB, uri string, version int32) published {
	t.Helper()
	var got published
	c.waitFor(t, fmt.Sprintf("diagnostics of %s version %d", uri, version), func() bool {
		for i := len(c.pubs) - 1; i >= 0; i-- {
			p := c.pubs[i]
			if p.URI == uri && p.Version != nil && *p.Version == version {
				got = p
				return true
			}
		}
		return false
	})
	return got
}

// awaitIndexed waits until the server reported the end of its n-th
// indexing run ($/progress end), n counting from 1.
func (c *fakeClient) awaitIndexed(t testing.TB, n int) {
	t.Helper()
	c.waitFor(t, fmt.Sprintf("indexing run %d to end", n), func() bool {
		ends := 0
		for _, p := range c.progress {
			if strings.HasPrefix(p, "end ") {
				ends++
			}
		}
		return ends >= n
	})
}

// awaitDiagnostics waits for a publication for uri whose diagnostics,
// rendered as "code: message" lines, satisfy ok, and returns it. It checks
// the latest publication only: an earlier one that matched does not count.
func (c *fakeClient) awaitDiagnostics(t testing.TB, uri, what string, ok func(lines []string) bool) published {
	t.Helper()
	deadline := time.After(waitLimit)
	var last []string
	for {
		c.mu.Lock()
		var got *published
		for i := len(c.pubs) - 1; i >= 0; i-- {
			if c.pubs[i].URI == uri {
				got = &c.pubs[i]
				break
			}
		}
		ch := c.changed
		c.mu.Unlock()
		if got != nil {
			if last = diagLines(got.Diagnostics); ok(last) {
				return *got
			}
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("timed out waiting for diagnostics of %s: %s; the last ones were:\n%s", uri, what, strings.Join(last, "\n"))
		}
	}
}

func diagLines(ds []protocol.Diagnostic) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%v: %s", d.Code, d.Message))
	}
	return out
}

// all returns every publication, in order.
func (c *fakeClient) all() []published {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.pubs)
}

// publications returns what was published for uri, in order.
func (c *fakeClient) publications(uri string) []published {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []published
	for _, p := range c.pubs {
		if p.URI == uri {
			out = append(out, p)
		}
	}
	return out
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// migration is a small migration used by many tests.
const migration = `defmodule App.Repo.Migrations.AddIndex do
  use Ecto.Migration

  def change do
    create index(:users, [:email])
    create index(:posts, [:title], concurrently: true)
  end
end
`

const migrationPath = "priv/repo/migrations/20240101000000_add_index.exs"

// pos is a position in UTF-16 units, computed independently of Mapper:
// line and column of the first occurrence of needle (plus delta units).
func pos(t testing.TB, text, needle string, delta int) protocol.Position {
	t.Helper()
	i := strings.Index(text, needle)
	if i < 0 {
		t.Fatalf("%q not found", needle)
	}
	return naivePosition(text, i, delta)
}

func naivePosition(text string, offset, delta int) protocol.Position {
	line := strings.Count(text[:offset], "\n")
	lineStart := strings.LastIndex(text[:offset], "\n") + 1
	col := 0
	for _, r := range text[lineStart:offset] {
		col++
		if r >= 0x10000 {
			col++
		}
	}
	return protocol.Position{Line: uint32(line), Character: uint32(col + delta)}
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
