package lsp

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"sync"

	"github.com/lockwise/lockwise/analysis"
	"go.lsp.dev/protocol"
)

// Source is the diagnostic source shown by editors ("lockwise [rule-id]: message").
const Source = "lockwise"

// maxRelatedFile bounds the size of another file read to place related information.
const maxRelatedFile = 8 << 20

// publication is what was last published for one URI. Its mutex is held
// while deciding and sending, so that a document goroutine and didClose
// can never reorder their publications.
type publication struct {
	mu   sync.Mutex
	last sent
}

// sent describes the last publication for a URI.
type sent struct {
	any       bool // something was published
	version   int32
	versioned bool
	hash      [sha256.Size]byte
	nonEmpty  bool
}

// publishSnapshot publishes the diagnostics of snap and installs it as the
// document's latest analysis, unless a newer change superseded it (never
// stale), or exactly this list was already sent for this version
// (deduplicated). Documents that are not migrations get nothing, except
// one [] to clear what an earlier classification published.
//
// The snapshot is installed after the notification is written, so a
// request that reads it is answered after the diagnostics it reflects.
func (s *server) publishSnapshot(d *document, snap *snapshot) {
	pub := d.pub
	pub.mu.Lock()
	defer pub.mu.Unlock()
	if !d.isCurrent(snap) || s.ctx.Err() != nil {
		return
	}
	defer d.install(snap)
	if !snap.migration && !pub.last.nonEmpty {
		return
	}
	if last := pub.last; last.any && last.versioned && last.version == snap.version && last.hash == snap.hash {
		return
	}
	v := snap.version
	s.notify(protocol.MethodTextDocumentPublishDiagnostics, &publishDiagnosticsParams{
		URI: protocol.DocumentURI(snap.uri), Version: &v, Diagnostics: snap.diagnostics,
	})
	pub.last = sent{any: true, version: v, versioned: true, hash: snap.hash, nonEmpty: len(snap.diagnostics) > 0}
}

// publishClosed clears the diagnostics of a closed document. The
// document is marked closed first, so its goroutine publishes nothing after this.
func (s *server) publishClosed(d *document) {
	d.pub.mu.Lock()
	s.notify(protocol.MethodTextDocumentPublishDiagnostics, &publishDiagnosticsParams{
		URI: protocol.DocumentURI(d.uri), Diagnostics: []protocol.Diagnostic{},
	})
	d.pub.last = sent{any: true}
	d.pub.mu.Unlock()
	s.docs.forget(d)
}

// protocolDiagnostics converts the snapshot's diagnostics. The result is
// never nil: an empty list must be sent as [], not null (STYLE.md 4.1.9).
func (s *server) protocolDiagnostics(snap *snapshot, root string) []protocol.Diagnostic {
	out := make([]protocol.Diagnostic, 0, len(snap.analysis.Diagnostics))
	for _, d := range snap.analysis.Diagnostics {
		pd := protocol.Diagnostic{
			Range:    snap.mapper.clampRange(d.Start, d.End),
			Severity: severity(d.Severity),
			Source:   Source,
			Message:  d.Message,
		}
		if d.Rule != "" {
			pd.Code = d.Rule
		}
		if d.URL != "" {
			pd.CodeDescription = &protocol.CodeDescription{Href: protocol.URI(d.URL)}
		}
		for _, r := range d.Related {
			loc, ok := s.relatedLocation(snap, root, r)
			if !ok {
				continue
			}
			pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{Location: loc, Message: r.Message})
		}
		out = append(out, pd)
	}
	return out
}

func severity(s analysis.Severity) protocol.DiagnosticSeverity {
	switch s {
	case analysis.Error:
		return protocol.DiagnosticSeverityError
	case analysis.Warning:
		return protocol.DiagnosticSeverityWarning
	case analysis.Info:
		return protocol.DiagnosticSeverityInformation
	default:
		return protocol.DiagnosticSeverityHint
	}
}

// relatedLocation places related information. In the analysed file the
// snapshot's mapper does it; another file's offsets need that file's
// text: its open document's if it is open, else the file on disk. This
// runs on the document goroutine, never on a request.
func (s *server) relatedLocation(snap *snapshot, root string, r analysis.Related) (protocol.Location, bool) {
	if r.Path == "" {
		return protocol.Location{URI: protocol.DocumentURI(snap.uri), Range: snap.mapper.clampRange(r.Start, r.End)}, true
	}
	p := r.Path
	if !filepath.IsAbs(p) {
		base := root
		if base == "" {
			fp, _ := uriToPath(snap.uri)
			base = filepath.Dir(fp)
		}
		p = filepath.Join(base, p)
	}
	u := pathToURI(p)
	var text []byte
	if d := s.docs.byPath(p); d != nil {
		u, text = protocol.DocumentURI(d.uri), d.currentText() // the client's spelling and buffer
	} else if fi, err := os.Stat(p); err == nil && fi.Size() <= maxRelatedFile {
		text, _ = os.ReadFile(p)
	}
	return protocol.Location{URI: u, Range: NewMapper(text).clampRange(r.Start, r.End)}, true
}
