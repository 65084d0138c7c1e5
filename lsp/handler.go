package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// handler builds the chain every incoming message goes through:
//
//	front (cancel, exit) → jsonrpc2.AsyncHandler → replyOnce → recover → route → overrides | protocol.ServerHandler
//
// Every layer returns nil: a non-nil error makes jsonrpc2 close the
// connection (STYLE.md 4.1.7).
func (s *server) handler() jsonrpc2.Handler {
	h := s.route
	h = s.recoverPanics(h)
	h = s.replyOnce(h)
	h = jsonrpc2.AsyncHandler(h)
	return s.front(h)
}

// front runs on the connection's read loop, outside AsyncHandler, so that
// $/cancelRequest reaches a request still queued behind another one and
// exit is acted on at once. It cancels by numeric and string ids alike:
// protocol.CancelHandler only matches string ids (STYLE.md 4.1.5). A
// cancelled request is answered RequestCancelled (-32800).
func (s *server) front(next jsonrpc2.Handler) jsonrpc2.Handler {
	var mu sync.Mutex
	inflight := map[jsonrpc2.ID]context.CancelFunc{}
	initSeen := false // front runs on the read loop only: no lock needed

	return func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		switch req.Method() {
		case protocol.MethodCancelRequest:
			var p cancelParams
			if err := json.Unmarshal(req.Params(), &p); err != nil {
				s.log.Warn("malformed $/cancelRequest", "error", err)
				return nil
			}
			id, ok := parseID(p.ID)
			if !ok {
				s.log.Warn("malformed $/cancelRequest id", "id", string(p.ID))
				return nil
			}
			mu.Lock()
			cancel := inflight[id]
			mu.Unlock()
			if cancel != nil {
				cancel()
			}
			return nil
		case protocol.MethodExit:
			s.exit()
			return nil
		case protocol.MethodInitialize:
			initSeen = true
		case protocol.MethodShutdown:
			// Recorded in stream order, so that an exit overtaking the
			// queued shutdown reply still counts as "after shutdown". A
			// shutdown before initialize is rejected and does not count.
			if initSeen {
				s.life.sawShutdown()
			}
		}

		call, ok := req.(*jsonrpc2.Call)
		if !ok {
			_ = next(ctx, reply, req)
			return nil
		}
		id := call.ID()
		ctx, cancel := context.WithCancel(ctx)
		mu.Lock()
		inflight[id] = cancel
		mu.Unlock()
		wrapped := func(rctx context.Context, result any, err error) error {
			mu.Lock()
			delete(inflight, id)
			mu.Unlock()
			if ctx.Err() != nil {
				result, err = nil, protocol.ErrRequestCancelled
			}
			cancel()
			// The request context may be cancelled: write with one that is
			// not, or the stream refuses to send the reply.
			return reply(context.WithoutCancel(rctx), result, err)
		}
		_ = next(ctx, wrapped, req)
		return nil
	}
}

// parseID reads a JSON-RPC id: a number that fits in int32 or a string.
func parseID(raw json.RawMessage) (jsonrpc2.ID, bool) {
	var n int32
	if err := json.Unmarshal(raw, &n); err == nil {
		return jsonrpc2.NewNumberID(n), true
	}
	var str string
	if err := json.Unmarshal(raw, &str); err == nil {
		return jsonrpc2.NewStringID(str), true
	}
	return jsonrpc2.ID{}, false
}

// replyOnce guarantees exactly one reply per message (AsyncHandler only
// starts the next message after the reply, so a missing reply would stall
// the connection), turns errors into *jsonrpc2.Error with their message
// (STYLE.md 4.1.8), and logs.
func (s *server) replyOnce(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		start := time.Now()
		var replied atomic.Bool
		once := func(ctx context.Context, result any, err error) error {
			if !replied.CompareAndSwap(false, true) {
				s.log.Error("second reply dropped", "method", req.Method(), "error", err)
				return nil
			}
			err = rpcError(err)
			_, isCall := req.(*jsonrpc2.Call)
			switch {
			case err != nil && !isCall:
				s.log.Warn("notification failed", "method", req.Method(), "error", err)
			case err != nil:
				s.log.Info("request failed", "method", req.Method(), "error", err, "took", time.Since(start))
			default:
				s.log.Debug("handled", "method", req.Method(), "took", time.Since(start))
			}
			if rerr := reply(ctx, result, err); rerr != nil {
				s.log.Warn("reply not sent", "method", req.Method(), "error", rerr)
			}
			return nil
		}
		if err := next(ctx, once, req); err != nil {
			s.log.Warn("handler error", "method", req.Method(), "error", err)
		}
		if !replied.Load() {
			s.log.Error("handler did not reply", "method", req.Method())
			_ = once(ctx, nil, jsonrpc2.NewError(jsonrpc2.InternalError, "lockwise did not answer "+req.Method()))
		}
		return nil
	}
}

// rpcError makes err a *jsonrpc2.Error that keeps its message. jsonrpc2
// sends a plain error as code 0, and a wrapped *jsonrpc2.Error loses the
// wrapping message.
func rpcError(err error) error {
	if err == nil {
		return nil
	}
	var rerr *jsonrpc2.Error
	if errors.As(err, &rerr) {
		if rerr == err {
			return err
		}
		return jsonrpc2.NewError(rerr.Code, err.Error())
	}
	if errors.Is(err, context.Canceled) {
		return protocol.ErrRequestCancelled
	}
	return jsonrpc2.NewError(jsonrpc2.InternalError, err.Error())
}

// recoverPanics turns a panic into an InternalError reply. A panic in an
// AsyncHandler goroutine would otherwise end the process.
func (s *server) recoverPanics(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic in handler", "method", req.Method(), "panic", r, "stack", string(debug.Stack()))
				_ = reply(ctx, nil, jsonrpc2.NewError(jsonrpc2.InternalError, fmt.Sprintf("lockwise failed on %s: %v", req.Method(), r)))
			}
		}()
		return next(ctx, reply, req)
	}
}

// override is a method lockwise decodes itself, because v0.12's types get it
// wrong or are too strict (STYLE.md 4.1.2, 4.1.3, 4.1.10).
type override func(ctx context.Context, params json.RawMessage) (any, error)

func (s *server) overrides() map[string]override {
	return map[string]override{
		protocol.MethodInitialize:                      s.initialize,
		protocol.MethodInitialized:                     s.initialized,
		protocol.MethodShutdown:                        s.shutdown,
		protocol.MethodTextDocumentDidChange:           s.didChange,
		protocol.MethodWorkspaceDidChangeConfiguration: s.didChangeConfiguration,
		protocol.MethodTextDocumentCodeAction:          s.codeAction,
		methodCodeActionResolve:                        s.resolveCodeAction,
		protocol.MethodWorkspaceExecuteCommand:         s.executeCommand,
	}
}

// methodCodeActionResolve is LSP 3.16's codeAction/resolve, which v0.12
// does not know (STYLE.md 4.1.1).
const methodCodeActionResolve = "codeAction/resolve"

// forwarded are the methods v0.12 decodes correctly; they reach the
// protocol.Server methods of *server through protocol.ServerHandler.
var forwarded = map[string]bool{
	protocol.MethodSetTrace:                           true,
	protocol.MethodTextDocumentDidOpen:                true,
	protocol.MethodTextDocumentDidClose:               true,
	protocol.MethodTextDocumentDidSave:                true,
	protocol.MethodTextDocumentHover:                  true,
	protocol.MethodTextDocumentDocumentSymbol:         true,
	protocol.MethodTextDocumentCodeLens:               true,
	protocol.MethodWorkspaceDidChangeWorkspaceFolders: true,
	protocol.MethodWorkspaceDidChangeWatchedFiles:     true,
	protocol.MethodTextDocumentDefinition:             true,
	protocol.MethodTextDocumentReferences:             true,
	protocol.MethodTextDocumentCompletion:             true,
}

// route applies the lifecycle rules, then sends the message to its
// override or to protocol.ServerHandler. Anything else is answered
// MethodNotFound (requests) or ignored (notifications), never handed to
// ServerHandler's fallback, which ignores its handler argument and answers
// unknown methods through Server.Request (STYLE.md 4.1.4).
func (s *server) route(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	method := req.Method()
	_, isCall := req.(*jsonrpc2.Call)
	if ctx.Err() != nil {
		return reply(ctx, nil, protocol.ErrRequestCancelled)
	}
	if err := s.life.admit(method); err != nil {
		if !isCall {
			s.log.Debug("notification dropped", "method", method, "reason", err)
			return reply(ctx, nil, nil)
		}
		return reply(ctx, nil, err)
	}
	if o, ok := s.routes.overrides[method]; ok {
		result, err := o(ctx, json.RawMessage(req.Params()))
		return reply(ctx, result, err)
	}
	if forwarded[method] {
		return s.routes.protocol(ctx, reply, req)
	}
	if isCall {
		return reply(ctx, nil, jsonrpc2.NewError(jsonrpc2.MethodNotFound, "lockwise does not implement "+method))
	}
	s.log.Debug("notification ignored", "method", method)
	return reply(ctx, nil, nil)
}

type routes struct {
	overrides map[string]override
	protocol  jsonrpc2.Handler
}
