package lsp

import (
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/present"
	"go.lsp.dev/protocol"
)

// snapshot is the immutable result of analysing one document version:
// the text, its mapper, the sanitised engine result and the diagnostics in
// protocol form. Requests read snapshots from any goroutine.
type snapshot struct {
	uri       string
	path      string
	place     placement
	version   int32
	gen       uint64
	text      []byte
	mapper    *Mapper
	migration bool
	// names are the table and column names written in the file's
	// migration calls (definition, references).
	names []present.NameSite

	// analysis is the sanitised engine result. Requests read its hovers,
	// symbols and hints through details(), which computes them on first
	// use when the engine deferred them.
	analysis Analysis
	// diagnostics[i] is analysis.Diagnostics[i] converted, as published.
	diagnostics []protocol.Diagnostic
	hash        [sha256.Size]byte // of the published JSON, to skip re-sending it

	log     *slog.Logger
	detOnce sync.Once
	det     Details
	detDone atomic.Bool // det is computed
}

func (s *server) newSnapshot(j job, a *Analysis) *snapshot {
	snap := &snapshot{
		uri: j.uri, path: j.path, place: j.place, version: j.version, gen: j.gen, text: j.text,
		mapper: NewMapper(j.text), migration: j.place.migration, log: s.log,
	}
	if a != nil {
		var problems []string
		snap.analysis, problems = sanitize(a, len(j.text))
		for _, p := range problems {
			s.log.Warn("engine result corrected", "uri", j.uri, "version", j.version, "problem", p)
		}
	}
	snap.diagnostics = s.protocolDiagnostics(snap, j.place.root)
	data, _ := json.Marshal(snap.diagnostics)
	snap.hash = sha256.Sum256(data)
	return snap
}

// sanitize makes an engine result safe to convert: offsets clamped to the
// text, severity Off and duplicate diagnostics dropped, diagnostics sorted
// by position, fixes whose edits leave the text or overlap dropped
// (go/analysis validatefix rules). It copies what it changes.
func sanitize(a *Analysis, n int) (Analysis, []string) {
	var out Analysis
	var problems []string
	type key struct {
		rule       string
		start, end int
		message    string
	}
	seen := map[key]bool{}
	for _, d := range a.Diagnostics {
		if d.Severity <= analysis.Off || d.Severity > analysis.Error {
			continue
		}
		d.Start = clamp(d.Start, 0, n)
		d.End = clamp(d.End, d.Start, n)
		k := key{d.Rule, d.Start, d.End, d.Message}
		if seen[k] {
			continue
		}
		seen[k] = true
		var fixes []analysis.Fix
		for _, f := range d.Fixes {
			if f, err := validFix(f, n); err != "" {
				problems = append(problems, d.Rule+": fix "+f.Title+": "+err)
			} else {
				fixes = append(fixes, f)
			}
		}
		d.Fixes = fixes
		related := make([]analysis.Related, len(d.Related))
		for i, r := range d.Related {
			if r.Path == "" {
				r.Start = clamp(r.Start, 0, n)
				r.End = clamp(r.End, r.Start, n)
			}
			related[i] = r
		}
		d.Related = related
		out.Diagnostics = append(out.Diagnostics, d)
	}
	slices.SortStableFunc(out.Diagnostics, func(x, y analysis.Diagnostic) int {
		return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(x.End, y.End),
			cmp.Compare(x.Rule, y.Rule), cmp.Compare(x.Message, y.Message))
	})
	det := sanitizeDetails(Details{Hovers: a.Hovers, Symbols: a.Symbols, Hints: a.Hints}, n)
	out.Hovers, out.Symbols, out.Hints = det.Hovers, det.Symbols, det.Hints
	out.Details, out.HoverAt = a.Details, a.HoverAt
	return out, problems
}

// sanitizeDetails clamps hovers, symbols and hints to the text and drops
// empty ones.
func sanitizeDetails(d Details, n int) Details {
	var out Details
	for _, h := range d.Hovers {
		if h.Markdown == "" && h.Text == "" {
			continue
		}
		h.Start = clamp(h.Start, 0, n)
		h.End = clamp(h.End, h.Start, n)
		out.Hovers = append(out.Hovers, h)
	}
	out.Symbols = sanitizeSymbols(d.Symbols, n)
	for _, h := range d.Hints {
		if h.Label == "" {
			continue
		}
		h.Start = clamp(h.Start, 0, n)
		h.End = clamp(h.End, h.Start, n)
		out.Hints = append(out.Hints, h)
	}
	return out
}

// details returns the hovers, symbols and hints of the snapshot,
// computing them once if the engine deferred them (Analysis.Details). A
// panic there is logged and leaves them empty, as a panic in Analyze does.
func (snap *snapshot) details() *Details {
	snap.detOnce.Do(func() {
		a := snap.analysis
		snap.det = Details{Hovers: a.Hovers, Symbols: a.Symbols, Hints: a.Hints}
		if a.Details == nil {
			return
		}
		defer func() {
			if r := recover(); r != nil {
				snap.log.Error("engine panic computing details", "uri", snap.uri, "version", snap.version, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			}
		}()
		snap.det = sanitizeDetails(a.Details(), len(snap.text))
	})
	snap.detDone.Store(true)
	return &snap.det
}

// hovers returns the hovers that may hold offset: all of them once the
// details are computed, else only those the engine renders at offset.
func (snap *snapshot) hovers(offset int) (out []Hover) {
	at := snap.analysis.HoverAt
	if snap.detDone.Load() || at == nil {
		return snap.details().Hovers
	}
	defer func() {
		if r := recover(); r != nil {
			snap.log.Error("engine panic computing a hover", "uri", snap.uri, "version", snap.version, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			out = nil
		}
	}()
	return sanitizeDetails(Details{Hovers: at(offset)}, len(snap.text)).Hovers
}

// validFix returns the fix with its edits sorted, or why it is unusable.
func validFix(f analysis.Fix, n int) (analysis.Fix, string) {
	if f.Title == "" {
		return f, "no title"
	}
	edits := slices.Clone(f.Edits)
	slices.SortStableFunc(edits, func(x, y analysis.TextEdit) int { return cmp.Compare(x.Start, y.Start) })
	for i, e := range edits {
		if e.Start < 0 || e.End < e.Start || e.End > n {
			return f, "edit outside the text"
		}
		if i > 0 && e.Start < edits[i-1].End {
			return f, "overlapping edits"
		}
	}
	for _, nf := range f.NewFiles {
		if _, err := siblingURI("file:///x", nf.Name); err != nil {
			return f, err.Error()
		}
	}
	f.Edits = edits
	return f, ""
}

func sanitizeSymbols(syms []Symbol, n int) []Symbol {
	var out []Symbol
	for _, sym := range syms {
		if sym.Name == "" {
			continue
		}
		sym.Start = clamp(sym.Start, 0, n)
		sym.End = clamp(sym.End, sym.Start, n)
		// The selection must lie inside the whole (LSP); default to its start.
		if sym.NameStart < sym.Start || sym.NameEnd > sym.End || sym.NameEnd < sym.NameStart {
			sym.NameStart, sym.NameEnd = sym.Start, sym.Start
		}
		sym.Children = sanitizeSymbols(sym.Children, n)
		out = append(out, sym)
	}
	return out
}

// hoverAt returns the smallest hover whose range contains offset, ends
// included: a cursor resting right after a construct (the end of its line)
// still finds it. Between two adjacent ranges, the one starting at offset wins.
func (snap *snapshot) hoverAt(offset int) (Hover, bool) {
	best, found := Hover{}, false
	for _, h := range snap.hovers(offset) {
		if offset < h.Start || offset > h.End {
			continue
		}
		size, bestSize := h.End-h.Start, best.End-best.Start
		if !found || size < bestSize || size == bestSize && offset < h.End && offset == best.End {
			best, found = h, true
		}
	}
	return best, found
}
