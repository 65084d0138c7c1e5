package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// workspace/executeCommand: lockwise.applyFix and lockwise.explain.

func (s *server) executeCommand(ctx context.Context, raw json.RawMessage) (any, error) {
	var p executeCommandParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	switch p.Command {
	case CommandApplyFix:
		var ref fixRef
		if len(p.Arguments) != 1 || json.Unmarshal(p.Arguments[0], &ref) != nil {
			return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, CommandApplyFix+" takes one fix argument")
		}
		return nil, s.applyFix(ctx, ref)
	case CommandExplain:
		var uri string
		var offset int
		if len(p.Arguments) != 2 || json.Unmarshal(p.Arguments[0], &uri) != nil || json.Unmarshal(p.Arguments[1], &offset) != nil {
			return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, CommandExplain+" takes a URI and an offset")
		}
		return s.explain(ctx, uri, offset)
	default:
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "lockwise has no command "+p.Command)
	}
}

// applyFix sends the fix to the client with workspace/applyEdit and
// replies once the client has answered, as gopls does: Eglot 1.9 handles
// a server request that arrives after the reply to its (synchronous)
// executeCommand only when more output follows, so an early reply leaves
// the edit pending (seen with a real Eglot). The wait is bounded by
// RequestWait, because every message queued behind this one waits too
// (STYLE.md 4.1.6); past it the call carries on in the background. A
// refusal is reported with window/showMessage.
func (s *server) applyFix(ctx context.Context, ref fixRef) error {
	snap, fix, err := s.lookupFix(ctx, ref)
	if err != nil {
		return err
	}
	caps := s.life.clientCaps()
	if !caps.applyEdit {
		// The action was offered so that running it can say why nothing happens.
		s.showMessage(protocol.MessageTypeWarning, cannotApply(fix, fmt.Errorf("no workspace/applyEdit")))
		return nil
	}
	edit, err := fixEdit(snap, caps, fix, true)
	if err != nil {
		return jsonrpc2.NewError(jsonrpc2.InvalidRequest, cannotApply(fix, err))
	}
	answered := make(chan struct{})
	started := s.goBackground(func(ctx context.Context) {
		defer close(answered)
		var res applyWorkspaceEditResult
		err := s.call(ctx, "workspace/applyEdit", &applyWorkspaceEditParams{Label: fix.Title, Edit: *edit}, &res)
		s.log.Debug("workspace/applyEdit answered", "fix", fix.Title, "applied", res.Applied, "reason", res.FailureReason, "error", err)
		switch {
		case err != nil && ctx.Err() == nil:
			s.showMessage(protocol.MessageTypeError, fmt.Sprintf("lockwise could not apply %q: %v", fix.Title, err))
		case err == nil && !res.Applied:
			s.showMessage(protocol.MessageTypeWarning, cannotApply(fix, fmt.Errorf("the editor refused the edit: %s", res.FailureReason)))
		}
	})
	if !started {
		return nil
	}
	timer := time.NewTimer(s.opts.RequestWait)
	defer timer.Stop()
	select {
	case <-answered:
	case <-timer.C:
		s.log.Info("workspace/applyEdit not answered yet; replying to the command anyway", "fix", fix.Title)
	case <-ctx.Done():
	}
	return nil
}

// explain shows the hover of the operation at offset as a message (the
// code lens action) and returns its plain text.
func (s *server) explain(ctx context.Context, uri string, offset int) (any, error) {
	snap, err := s.snapshotOf(ctx, uri)
	if snap == nil {
		return nil, err
	}
	h, ok := snap.hoverAt(offset)
	if !ok {
		return nil, nil
	}
	text := hoverContent(h, false).Value
	s.showMessage(protocol.MessageTypeInfo, text)
	return text, nil
}
