package lsp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lockwise/lockwise/grammar"
)

// session holds the open documents, keyed by the URI exactly as the client
// sent it (and echoed back the same way).
type session struct {
	mu   sync.Mutex
	docs map[string]*document
	// pubs is what was last published per URI, shared by the documents that
	// replace each other under one URI (didOpen of an open document).
	pubs map[string]*publication
}

func newSession() *session {
	return &session{docs: map[string]*document{}, pubs: map[string]*publication{}}
}

func (ss *session) get(uri string) *document {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.docs[uri]
}

// open registers d and returns the document it replaces, if any. d
// shares the replaced document's publication, so that their publications
// stay ordered.
func (ss *session) open(d *document) (old *document) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	old = ss.docs[d.uri]
	ss.docs[d.uri] = d
	d.pub = ss.pubs[d.uri]
	if d.pub == nil {
		d.pub = &publication{}
		ss.pubs[d.uri] = d.pub
	}
	return old
}

// forget drops the publication state of a closed document. Its goroutine
// may still hold the object, but finds the document closed under its lock
// and publishes nothing; a reopened document starts afresh.
func (ss *session) forget(d *document) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.pubs[d.uri] == d.pub && ss.docs[d.uri] == nil {
		delete(ss.pubs, d.uri)
	}
}

func (ss *session) remove(uri string) *document {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	d := ss.docs[uri]
	delete(ss.docs, uri)
	return d
}

func (ss *session) all() []*document {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	out := make([]*document, 0, len(ss.docs))
	for _, d := range ss.docs {
		out = append(out, d)
	}
	return out
}

// byPath finds an open document by file path (for related information in
// another open file: its in-memory text is what the user sees).
func (ss *session) byPath(path string) *document {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, d := range ss.docs {
		if d.path == path {
			return d
		}
	}
	return nil
}

// document is one open text document. Its goroutine (worker.go) owns the
// grammar.Doc; the fields below are the hand-off between handlers and that
// goroutine. Texts are never modified in place: every change builds a new
// slice, so snapshots may keep theirs.
type document struct {
	uri  string
	path string       // "" for non-file URIs
	pub  *publication // set by session.open

	kick chan struct{} // capacity 1: wakes the goroutine

	mu         sync.Mutex
	version    int32
	text       []byte
	mapper     *Mapper        // for text: reused by the next change
	edits      []grammar.Edit // changes since the goroutine last took the text, in order
	reset      bool           // edits cannot be replayed (full-text change): re-sync with SetText
	gen        uint64         // bumped by anything that outdates the latest analysis
	lastChange time.Time      // debounce reference; zero analyses at once
	urgent     bool           // a request is waiting: skip the debounce
	place      placement
	closed     bool
	cancelRun  context.CancelFunc // cancels the analysis in flight
	latest     *snapshot          // the latest current analysis, possibly of an older version
	updated    chan struct{}      // closed (and replaced) when latest changes or the document closes
}

// placement says where a document sits; classify computes it at open,
// and again when settings or workspace folders change.
type placement struct {
	root      string // the directory its migration path matched under (AnalyzeInput.Root)
	migration bool   // analysed as a migration
	project   string // the root of its project in the workspace model; "" for none
	lib       bool   // an Elixir file under lib/: its unsaved text is read for Ecto schemas
}

func newDocument(uri, path string, version int32, text []byte, place placement) *document {
	return &document{
		uri: uri, path: path, version: version, text: text, mapper: NewMapper(text),
		place: place, kick: make(chan struct{}, 1), updated: make(chan struct{}),
	}
}

func (d *document) placement() placement {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.place
}

func (d *document) isMigration() bool { return d.placement().migration }

func (d *document) projectRoot() string { return d.placement().project }

// poke wakes the document goroutine without blocking.
func (d *document) poke() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// outdateLocked makes the current analysis (and any run in flight) stale.
func (d *document) outdateLocked() {
	d.gen++
	if d.cancelRun != nil {
		d.cancelRun()
		d.cancelRun = nil
	}
	d.poke()
}

// change applies a didChange. Versions must increase (terraform-ls); a
// stale or out-of-range change leaves the document as it was.
func (d *document) change(version int32, changes []contentChange) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	if version <= d.version {
		return fmt.Errorf("%s version %d is not newer than %d: change ignored", d.uri, version, d.version)
	}
	text, edits, full, err := applyChanges(d.text, d.mapper, changes)
	if err != nil {
		// The client now has a text we cannot reproduce; later changes may
		// not apply. Only reopening the document resynchronises it.
		return fmt.Errorf("%s version %d: %w: change ignored, the document may be out of sync until reopened", d.uri, version, err)
	}
	d.version = version
	d.text = text
	d.mapper = NewMapper(text)
	d.edits = append(d.edits, edits...)
	d.reset = d.reset || full
	d.lastChange = time.Now()
	d.outdateLocked()
	return nil
}

// reclassify records whether the document is (still) a migration and
// re-analyses it: settings and workspace folders decide that.
func (d *document) reclassify(place placement) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.place = place
	d.outdateLocked()
}

// outdate re-analyses the current version (after a save: the workspace on
// disk may have changed).
func (d *document) outdate() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.outdateLocked()
}

func (d *document) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	d.closed = true
	if d.cancelRun != nil {
		d.cancelRun()
	}
	close(d.updated)
	d.poke()
}

func (d *document) currentText() []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.text
}

// current returns the current text, its mapper and version, for requests
// that read the text as typed rather than wait for its analysis
// (completion).
func (d *document) current() ([]byte, *Mapper, int32) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.text, d.mapper, d.version
}

var (
	errClosed  = errors.New("document closed")
	errPending = errors.New("analysis not ready in time")
)

// await returns the analysis of the document's current version, asking the
// goroutine to skip its debounce and waiting at most wait. Requests are
// handled after every earlier didChange (AsyncHandler keeps order), so the
// current version is the one the client sees (terraform-ls WaitForJobs).
func (d *document) await(ctx context.Context, wait time.Duration) (*snapshot, error) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		d.mu.Lock()
		if d.closed {
			d.mu.Unlock()
			return nil, errClosed
		}
		if d.latest != nil && d.latest.version == d.version {
			snap := d.latest
			d.mu.Unlock()
			return snap, nil
		}
		d.urgent = true
		updated := d.updated
		d.mu.Unlock()
		d.poke()
		select {
		case <-updated:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timer.C:
			return nil, errPending
		}
	}
}

// job is what the goroutine takes from the document for one analysis run.
type job struct {
	ctx       context.Context
	cancel    context.CancelFunc // releases ctx when the run is over
	uri, path string
	place     placement
	version   int32
	gen       uint64
	text      []byte
	edits     []grammar.Edit
	reset     bool
	settings  Settings
}

// debounce waits until the document has been unchanged for delay, or a
// request needs it now. It returns false when ctx ends.
func (d *document) debounce(ctx context.Context, delay time.Duration) bool {
	for {
		d.mu.Lock()
		wait := time.Until(d.lastChange.Add(delay))
		if d.urgent || d.closed {
			wait = 0
		}
		d.mu.Unlock()
		if wait <= 0 {
			return true
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-d.kick: // a newer change or a waiting request: look again
			t.Stop()
		case <-t.C:
		}
	}
}

// take hands the pending state to the goroutine. It returns false once the
// document is closed.
func (d *document) take(ctx context.Context, st Settings) (job, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return job{}, false
	}
	runCtx, cancel := context.WithCancel(ctx)
	d.cancelRun = cancel
	j := job{
		ctx: runCtx, cancel: cancel, uri: d.uri, path: d.path, place: d.place,
		version: d.version, gen: d.gen, text: d.text,
		edits: d.edits, reset: d.reset, settings: st,
	}
	d.edits, d.reset, d.urgent = nil, false, false
	return j, true
}

// isCurrent says whether snap was computed from the document's current
// state: a run that a newer change or setting superseded must never be
// shown or published.
func (d *document) isCurrent(snap *snapshot) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return !d.closed && snap.gen == d.gen
}

// latestSnapshot returns the latest analysis installed, nil before the
// first.
func (d *document) latestSnapshot() *snapshot {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.latest
}

// install makes snap the latest analysis and wakes waiting requests. A
// change may have arrived since isCurrent; the snapshot still describes
// its version correctly, and await compares versions.
func (d *document) install(snap *snapshot) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed || d.latest != nil && d.latest.gen > snap.gen {
		return
	}
	d.latest = snap
	close(d.updated)
	d.updated = make(chan struct{})
}

// snapshotOf returns the analysis of the current version of an open
// document for a request, waiting for it at most RequestWait. When the
// document is not open, or its analysis is not ready in time, it returns
// nil and no error: the request then answers "nothing here", which editors
// show quietly, where an error pops up a failure notice (VS Code).
func (s *server) snapshotOf(ctx context.Context, uri string) (*snapshot, error) {
	d := s.docs.get(uri)
	if d == nil {
		s.log.Info("request for a document that is not open", "uri", uri)
		return nil, nil
	}
	snap, err := d.await(ctx, s.opts.RequestWait)
	switch {
	case err == nil:
		return snap, nil
	case ctx.Err() != nil:
		return nil, ctx.Err()
	default:
		s.log.Warn("request answered without analysis", "uri", uri, "reason", err)
		return nil, nil
	}
}
