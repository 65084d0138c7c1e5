// Package lsp is lockwise's language server: lifecycle, documents and
// incremental sync, the handler chain, and the conversion of analysis
// results (byte offsets) to LSP values (UTF-16 positions).
//
// Analysis itself is behind the Engine interface. Each open document has
// one goroutine that owns its incrementally re-parsed grammar.Doc, runs the
// engine on a debounced schedule, and publishes diagnostics; requests read
// the immutable snapshot it produced. See STYLE.md sections 2 and 4.
package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Options configure Serve.
type Options struct {
	Engine Engine // required

	// LogFile receives the logs (appended); stderr when empty. stdout is the
	// protocol wire and never gets anything else (STYLE.md 4.1.13).
	LogFile string
	// Log, when set, receives the logs instead of LogFile (tests).
	Log     io.Writer
	Verbose bool // debug logs: every message with its duration

	// Debounce is how long a document must stay unchanged before it is
	// analysed. 0 means 30ms; a negative value analyses at once.
	Debounce time.Duration
	// RequestWait bounds how long a request (hover, code action...) waits
	// for the analysis of the document's current version. Requests are
	// serialised by jsonrpc2.AsyncHandler (STYLE.md 4.1.6), so this is also
	// the longest a request can delay the messages behind it. 0 means 2s.
	RequestWait time.Duration

	Version string // reported as serverInfo.version
}

// Commands the server executes (workspace/executeCommand).
const (
	// CommandApplyFix applies a fix through workspace/applyEdit, for clients
	// whose code action edits cannot create files. Argument: the fix data.
	CommandApplyFix = "lockwise.applyFix"
	// CommandExplain shows the hover text of the operation at an offset as a
	// message (the action of a lock-hint code lens). Arguments: uri, byte offset.
	CommandExplain = "lockwise.explain"
)

// ErrExitWithoutShutdown is returned by Serve when the client sent exit
// without shutdown, or the connection ended before shutdown. The process
// should then exit with status 1 (LSP "exit" notification).
var ErrExitWithoutShutdown = errors.New("lsp: exit without shutdown")

// Serve runs the language server on in/out until the client sends exit,
// the connection ends or ctx is cancelled. It returns nil when shutdown
// came before the end (exit status 0), and an error otherwise (exit status 1).
func Serve(ctx context.Context, in io.Reader, out io.Writer, opts Options) error {
	if opts.Engine == nil {
		return errors.New("lsp: Options.Engine is required")
	}
	logw := opts.Log
	if logw == nil {
		logw = os.Stderr
		if opts.LogFile != "" {
			f, err := os.OpenFile(opts.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
			if err != nil {
				return fmt.Errorf("lsp: log file: %w", err)
			}
			defer f.Close()
			logw = f
		}
	}
	level := slog.LevelInfo
	if opts.Verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: level}))

	st := newStream(in, out, log)
	conn := jsonrpc2.NewConn(st)
	s := newServer(ctx, conn, opts, log)
	conn.Go(ctx, s.handler())
	log.Info("lockwise language server started", "version", opts.Version)

	var err error
	select {
	case <-s.exited:
		if !s.shutdownSeen() {
			err = ErrExitWithoutShutdown
		}
	case <-conn.Done():
		if !s.shutdownSeen() {
			err = fmt.Errorf("%w: connection closed: %v", ErrExitWithoutShutdown, conn.Err())
		}
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.stop()
	_ = conn.Close()
	log.Info("lockwise language server stopped", "error", err)
	return err
}

// server holds the state of one connection. Handlers are methods on it, one
// file per LSP area; this file only wires them.
type server struct {
	nyi // every protocol.Server method not implemented elsewhere

	opts Options
	log  *slog.Logger
	conn jsonrpc2.Conn

	// ctx bounds background work (document goroutines, configuration
	// pulls, applyEdit calls); it ends at shutdown, exit or disconnection.
	ctx      context.Context
	cancel   context.CancelFunc
	bgMu     sync.Mutex // orders goBackground's Add with stop's Wait
	stopping bool
	bg       sync.WaitGroup

	routes   routes
	life     lifecycle
	settings settingsStore
	docs     *session
	index    *index // the workspace model (index.go)

	exitOnce sync.Once
	exited   chan struct{}
}

var _ protocol.Server = (*server)(nil)

func newServer(ctx context.Context, conn jsonrpc2.Conn, opts Options, log *slog.Logger) *server {
	if opts.Debounce == 0 {
		opts.Debounce = 30 * time.Millisecond
	}
	if opts.RequestWait <= 0 {
		opts.RequestWait = 2 * time.Second
	}
	s := &server{opts: opts, log: log, conn: conn, exited: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	s.settings.init()
	s.docs = newSession()
	s.index = newIndex(s)
	s.routes = routes{overrides: s.overrides(), protocol: protocol.ServerHandler(s, nil)}
	return s
}

// stop ends background work and waits briefly for it: an engine that
// ignores cancellation must not keep the process from exiting.
func (s *server) stop() {
	s.cancel()
	s.bgMu.Lock()
	s.stopping = true
	s.bgMu.Unlock()
	done := make(chan struct{})
	go func() { s.bg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		s.log.Warn("background work still running at exit")
	}
}

// goBackground runs f on its own goroutine, bounded by the server
// lifetime. It returns false, without running f, once the server stops.
func (s *server) goBackground(f func(ctx context.Context)) bool {
	s.bgMu.Lock()
	defer s.bgMu.Unlock()
	if s.stopping {
		return false
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		f(s.ctx)
	}()
	return true
}

// notify sends a notification to the client. It never blocks on a reply.
func (s *server) notify(method string, params any) {
	if err := s.conn.Notify(s.ctx, method, params); err != nil && s.ctx.Err() == nil {
		s.log.Warn("notification failed", "method", method, "error", err)
	}
}

// call sends a request to the client and waits for its reply. It must never
// be called while holding a lock: the reply may need our handlers to run
// (STYLE.md 4.1.6).
func (s *server) call(ctx context.Context, method string, params, result any) error {
	_, err := s.conn.Call(ctx, method, params, result)
	return err
}

func (s *server) showMessage(typ protocol.MessageType, msg string) {
	s.notify(protocol.MethodWindowShowMessage, &protocol.ShowMessageParams{Type: typ, Message: msg})
}
