package lsp

import (
	"context"
	"fmt"
	"sync/atomic"

	"go.lsp.dev/protocol"
)

// Work done progress ($/progress) for server-initiated work: the token is
// created with window/workDoneProgress/create when the client supports
// it (window.workDoneProgress), then begin, report... end. Without support,
// or if the client refuses the token, a nil *progress reports nothing.

var progressSeq atomic.Int64

type progress struct {
	s     *server
	token string
}

// beginProgress starts a progress report titled title. It calls the
// client, so it must never run on a handler or under a lock.
func (s *server) beginProgress(ctx context.Context, title string) *progress {
	if !s.life.clientCaps().workDoneProgress {
		return nil
	}
	p := &progress{s: s, token: fmt.Sprintf("lockwise-%d", progressSeq.Add(1))}
	cctx, cancel := context.WithTimeout(ctx, s.opts.RequestWait)
	defer cancel()
	if err := s.call(cctx, "window/workDoneProgress/create", &workDoneProgressCreateParams{Token: p.token}, nil); err != nil {
		s.log.Info("window/workDoneProgress/create failed: no progress shown", "error", err)
		return nil
	}
	zero := uint32(0) // a percentage in begin makes clients show a bar, not a spinner
	p.send(&workDoneProgress{Kind: "begin", Title: title, Percentage: &zero})
	return p
}

// report says what is being done, done of total steps.
func (p *progress) report(ctx context.Context, message string, done, total int) {
	if p == nil {
		return
	}
	pct := uint32(100)
	if total > 0 {
		pct = uint32(done * 100 / total)
	}
	p.send(&workDoneProgress{Kind: "report", Message: message, Percentage: &pct})
}

// end closes the report with a summary.
func (p *progress) end(ctx context.Context, message string) {
	if p == nil {
		return
	}
	p.send(&workDoneProgress{Kind: "end", Message: message})
}

func (p *progress) send(value any) {
	p.s.notify(protocol.MethodProgress, &progressParams{Token: p.token, Value: value})
}
