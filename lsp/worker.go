package lsp

import (
	"bytes"
	"context"
	"fmt"
	"runtime/debug"
	"slices"

	"github.com/lockwise/lockwise/analysis/present"
	"github.com/lockwise/lockwise/grammar"
)

// maxReplay is the most edits replayed into the tree one by one; beyond
// it, one SetText (a single edit of the changed middle) is cheaper, since
// grammar.Doc re-parses after every edit.
const maxReplay = 8

// runDocument is the goroutine of one open document. It alone owns the
// document's grammar.Doc (parser and tree are not safe for concurrent use,
// even for reads: STYLE.md 4.2.1), so nothing else ever touches the tree.
// It waits for changes, debounces, brings the tree up to date, runs the
// engine, and publishes. Everything it hands out is plain immutable data.
func (s *server) runDocument(ctx context.Context, d *document) {
	var g *grammar.Doc
	defer func() {
		if g != nil {
			g.Close()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.kick:
		}
		if !d.debounce(ctx, s.opts.Debounce) {
			return
		}
		j, ok := d.take(ctx, s.settings.get())
		if !ok {
			return
		}
		if j.place.lib {
			// An open lib/ file: its unsaved text is what the Ecto
			// schemas are read from.
			if p := s.index.project(j.place.project); p != nil {
				p.setSchemaFile(j.path, j.text)
			}
		}
		g = s.syncTree(g, j)
		snap := s.analyze(j, g)
		j.cancel()
		if snap == nil {
			continue // superseded while running
		}
		prev := d.latestSnapshot()
		s.publishSnapshot(d, snap)
		// Hovers, symbols and lenses are computed after the diagnostics
		// are out, off this goroutine (the next change must not wait for
		// them), unless a newer change made them useless already.
		s.goBackground(func(context.Context) {
			if !d.isCurrent(snap) {
				return
			}
			det := snap.details()
			// Re-analysed without an edit (an earlier migration or the
			// configuration changed): editors ask for lenses again only
			// on edits, so tell them when the lock hints they show changed.
			if prev != nil && prev.version == snap.version && prev.detDone.Load() && !slices.Equal(prev.details().Hints, det.Hints) {
				s.refreshCodeLenses()
			}
		})
	}
}

// syncTree brings the tree to the job's text: the edits are replayed when
// they are few (incremental re-parse), otherwise the text is set at once.
// Documents that are not migrations are not parsed at all.
func (s *server) syncTree(g *grammar.Doc, j job) *grammar.Doc {
	if !j.place.migration {
		if g != nil {
			g.Close()
		}
		return nil
	}
	if g == nil {
		return grammar.NewDoc(j.text)
	}
	switch {
	case j.reset || len(j.edits) > maxReplay:
		g.SetText(j.text)
	case len(j.edits) > 0:
		if err := g.Apply(j.edits...); err != nil {
			s.log.Error("replaying edits into the tree failed; re-syncing", "uri", j.uri, "error", err)
			g.SetText(j.text)
		}
	}
	if !bytes.Equal(g.Text(), j.text) {
		// Cannot happen if every change reached the goroutine in order;
		// recover rather than analyse the wrong text.
		s.log.Error("tree text out of sync with the document; re-syncing", "uri", j.uri, "version", j.version)
		g.SetText(j.text)
	}
	return g
}

// analyze runs the engine for one job and builds its snapshot. It returns
// nil when the run was superseded (its context cancelled).
func (s *server) analyze(j job, g *grammar.Doc) *snapshot {
	var a *Analysis
	var names []present.NameSite
	if j.place.migration && g != nil {
		in := AnalyzeInput{
			URI: j.uri, Path: j.path, Root: j.place.root, Version: j.version,
			Text: j.text, File: g.File(), Settings: j.settings,
		}
		_, in.ConfigEpoch = s.index.state()
		if p := s.index.projectFor(j.place.project); p != nil && j.path != "" {
			in.Workspace = p
		}
		a = s.runEngine(j, in)
		// The names written in the file, for definition and references
		// (plain values: the tree stays on this goroutine).
		names = present.NameSites(in.File)
	}
	if j.ctx.Err() != nil {
		return nil
	}
	snap := s.newSnapshot(j, a)
	snap.names = names
	return snap
}

// runEngine calls the engine, turning a panic into "no result": a bug in
// one rule must not take the editor's server down.
func (s *server) runEngine(j job, in AnalyzeInput) (a *Analysis) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("engine panic", "uri", j.uri, "version", j.version, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			a = nil
		}
	}()
	return s.opts.Engine.Analyze(j.ctx, in)
}
