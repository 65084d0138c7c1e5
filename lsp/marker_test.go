package lsp

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"

	"go.lsp.dev/protocol"
)

// Marker tests (gopls style, STYLE.md 3.2). Each lsp/testdata/*.txtar is
// one scenario: a comment, workspace files, special files and goldens.
//
//	-- settings.json --        initializationOptions (optional)
//	-- config.json --          the client's answer to workspace/configuration (optional)
//	-- capabilities --         a client preset (vscode, eglot, nvim07, bare) or capabilities JSON
//	-- engine --               "fake" for the fake engine (fakeengine_test.go); the real one otherwise
//	-- open --                 the files to open, one per line (default: every .exs
//	                           file but mix.exs and config/*.exs)
//	-- priv/repo/migrations/x.exs --   written to disk before initialize
//	-- untitled:Untitled-1 --          opened with that URI, not written
//	-- @name --                a golden (hover text, symbols, locations, completions)
//	-- @name/relative/path --  a golden file produced by a code action
//
// The server indexes the workspace once initialized; documents are opened
// after its $/progress end (clients without progress support: at once).
//
// Markers are calls in Elixir comments starting with "#@", several per
// comment separated by commas:
//
//	diag(loc, re"…")             a diagnostic starts at loc; "code: message" matches
//	diag(loc, re"…", exact=true) ...and ends where loc's match ends
//	diag(loc, re"…", severity=error)  ...with that severity
//	nodiag(loc)                  no diagnostic covers loc
//	hover(loc, name)             hover at loc equals golden @name
//	hover(loc, "text")           hover at loc contains text (re"…" to match)
//	nohover(loc)                 no hover at loc
//	codeaction(loc, kind, title=re"…", result=name)
//	                             the action of that kind (and title) offered for
//	                             an empty range at loc, applied as the client
//	                             would (edit, or command then workspace/applyEdit);
//	                             the changed and created files equal @name/<path>
//	codeaction(loc, kind, title=re"…", disabled=re"…")
//	                             the action is offered disabled, for that reason
//	nocodeaction(loc, kind)      no action of that kind at loc
//	codelens(loc, re"…")         a code lens on loc's line with a matching title
//	nocodelens()                 no code lens in the file
//	symbols(name)                the document symbols, rendered, equal @name
//	edit(loc, "new", re"…"...)   replace loc's match by "new" (a didChange), check
//	                             the diagnostics on this line match the regexps
//	                             (none: no diagnostic), then undo the change
//	def(loc, name)               the definition locations of the name at loc equal @name
//	refs(loc, name)              its references (declaration included) equal @name
//	complete(loc, "typed", name) type "typed" at loc (a didChange: the file may
//	                             not parse), ask for completion right after it,
//	                             compare the items with @name, undo the change
//
// A location is a string or re"…" (its first group, if any) searched in
// the code of the marker's line, then of the lines above, nearest first, so
// edits to testdata never break numeric positions. Every diagnostic published for a file must be
// matched by exactly one diag marker. Run with -update to rewrite goldens.

var update = flag.Bool("update", false, "rewrite the goldens of lsp/testdata/*.txtar")

func TestMarkers(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runMarkerFile(t, path)
		})
	}
}

type markerRun struct {
	t       *testing.T
	ts      *testServer
	path    string
	archive *archive
	goldens map[string]*archiveFile
	docs    map[string]*markerDoc // by name
	dirty   bool                  // goldens were updated
	caps    clientCaps
}

type markerDoc struct {
	name    string // archive name
	uri     string
	text    string
	version int32
	diags   []protocol.Diagnostic // as published for the opened version
	matched []bool
}

func runMarkerFile(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ar := parseTxtar(string(data))
	r := &markerRun{t: t, path: path, archive: ar, goldens: map[string]*archiveFile{}, docs: map[string]*markerDoc{}}
	cfg := serverConfig{engine: NewAnalysisEngine(), files: map[string]string{}}
	var workspace []*archiveFile
	var toOpen []string
	for i := range ar.files {
		f := &ar.files[i]
		switch {
		case strings.HasPrefix(f.name, "@"):
			r.goldens[f.name[1:]] = f
		case f.name == "settings.json":
			cfg.initOpts = json.RawMessage(f.data)
		case f.name == "config.json":
			cfg.config = json.RawMessage(f.data)
		case f.name == "engine":
			if strings.TrimSpace(f.data) == "fake" {
				cfg.engine = &fakeEngine{}
			}
		case f.name == "open":
			toOpen = strings.Fields(f.data)
		case f.name == "capabilities":
			spec := strings.TrimSpace(f.data)
			if strings.HasPrefix(spec, "{") {
				cfg.caps = json.RawMessage(spec)
			} else if _, ok := clientPresets[spec]; ok {
				cfg.preset = spec
			} else {
				t.Fatalf("unknown capabilities preset %q", spec)
			}
		default:
			workspace = append(workspace, f)
		}
	}
	caps := cfg.caps
	if caps == nil {
		caps = json.RawMessage(clientPresets[cmpOr(cfg.preset, "vscode")])
	}
	var cc clientCapabilities
	if err := json.Unmarshal(caps, &cc); err != nil {
		t.Fatal(err)
	}
	r.caps = capsOf(cc)

	for _, f := range workspace {
		if !strings.Contains(f.name, ":") {
			cfg.files[f.name] = f.data
		}
	}
	r.ts = startServer(t, cfg)
	if r.caps.workDoneProgress {
		r.ts.client.awaitIndexed(t, 1)
	}
	for _, f := range workspace {
		opened := strings.HasSuffix(f.name, ".exs") && f.name != "mix.exs" && !strings.HasSuffix(f.name, "/mix.exs") && !strings.HasPrefix(f.name, "config/") && !strings.Contains(f.name, "/config/")
		if toOpen != nil {
			opened = slices.Contains(toOpen, f.name)
		}
		if !opened && !strings.Contains(f.name, ":") {
			continue
		}
		d := &markerDoc{name: f.name, text: f.data, version: 1}
		d.uri = r.ts.open(f.name, f.data)
		r.docs[f.name] = d
	}
	names := make([]string, 0, len(r.docs))
	for name, d := range r.docs {
		names = append(names, name)
		r.settle(d)
		d.diags = r.diagnosticsAt(d, d.version)
		d.matched = make([]bool, len(d.diags))
	}
	sort.Strings(names)
	for _, name := range names {
		d := r.docs[name]
		for _, m := range parseMarkers(t, d) {
			r.run(d, m)
		}
		for i, diag := range d.diags {
			if !d.matched[i] {
				t.Errorf("%s:%d: unexpected diagnostic %s: %s", name, diag.Range.Start.Line+1, diag.Code, diag.Message)
			}
		}
	}
	if r.dirty {
		if err := os.WriteFile(path, []byte(ar.format()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated goldens in %s", path)
	}
}

// settle waits until the server analysed the document's current version:
// a request awaits that analysis, and is answered after its diagnostics
// were sent (publishSnapshot), so they have been recorded by then.
func (r *markerRun) settle(d *markerDoc) {
	var syms []json.RawMessage
	r.ts.mustCall(protocol.MethodTextDocumentDocumentSymbol, map[string]any{"textDocument": map[string]any{"uri": d.uri}}, &syms)
}

// diagnosticsAt is the last list published for the version (none: empty).
func (r *markerRun) diagnosticsAt(d *markerDoc, version int32) []protocol.Diagnostic {
	var out []protocol.Diagnostic
	for _, p := range r.ts.client.publications(d.uri) {
		if p.Version != nil && *p.Version == version {
			out = p.Diagnostics
		}
	}
	return out
}

// A marker is one call found in a "#@" comment.
type marker struct {
	name  string
	args  []markerArg
	named map[string]markerArg
	line  int // 0-based line of the comment
	where string
}

type markerArg struct {
	kind  byte // 's' string, 'r' regexp, 'i' identifier, 'n' number, 'b' boolean
	str   string
	re    *regexp.Regexp
	num   int
	truth bool
}

func (m marker) errorf(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Errorf("%s: %s: %s", m.where, m.name, fmt.Sprintf(format, args...))
}

func parseMarkers(t *testing.T, d *markerDoc) []marker {
	var out []marker
	lineStart := 0
	for i, line := range strings.SplitAfter(d.text, "\n") {
		if c := strings.Index(line, "#@"); c >= 0 {
			calls, err := parseCalls(strings.TrimRight(line[c+2:], "\r\n"))
			if err != nil {
				t.Fatalf("%s:%d: bad marker: %v", d.name, i+1, err)
			}
			for _, m := range calls {
				m.line, m.where = i, fmt.Sprintf("%s:%d", d.name, i+1)
				out = append(out, m)
			}
		}
		lineStart += len(line)
	}
	return out
}

// loc finds a location argument: in the code part (before "#@") of the
// marker's line, else of the lines above it, nearest first. So a marker can
// sit on the line it is about or on a comment line below it.
func (r *markerRun) loc(d *markerDoc, m marker, a markerArg) (start, end int, ok bool) {
	lines := strings.SplitAfter(d.text, "\n")
	starts := make([]int, len(lines))
	for i := 1; i < len(lines); i++ {
		starts[i] = starts[i-1] + len(lines[i-1])
	}
	for ln := m.line; ln >= 0; ln-- {
		code := lines[ln]
		if c := strings.Index(code, "#@"); c >= 0 {
			code = code[:c]
		}
		if g := a.re.FindStringSubmatchIndex(code); g != nil {
			if len(g) >= 4 && g[2] >= 0 {
				return starts[ln] + g[2], starts[ln] + g[3], true
			}
			return starts[ln] + g[0], starts[ln] + g[1], true
		}
	}
	m.errorf(r.t, "location %q not found on this line or above", a.str)
	return 0, 0, false
}

func (r *markerRun) run(d *markerDoc, m marker) {
	t := r.t
	need := func(n int) bool {
		if len(m.args) < n {
			m.errorf(t, "needs %d arguments", n)
			return false
		}
		return true
	}
	if m.name != "nocodelens" && m.name != "symbols" && !need(1) {
		return
	}
	var start, end int
	var ok bool
	if m.name != "nocodelens" && m.name != "symbols" {
		if start, end, ok = r.loc(d, m, m.args[0]); !ok {
			return
		}
	}
	at := naivePosition(d.text, start, 0)
	switch m.name {
	case "diag":
		if !need(2) {
			return
		}
		r.checkDiag(d, m, at, naivePosition(d.text, end, 0))
	case "nodiag":
		for _, diag := range d.diags {
			if !posLess(at, diag.Range.Start) && posLess(at, diag.Range.End) {
				m.errorf(t, "unexpected diagnostic %s at %v", diag.Code, diag.Range)
			}
		}
	case "hover", "nohover":
		r.checkHover(d, m, at)
	case "codeaction", "nocodeaction":
		if need(2) {
			r.checkCodeAction(d, m, at)
		}
	case "codelens", "nocodelens":
		r.checkCodeLens(d, m, at)
	case "symbols":
		if need(1) {
			r.checkSymbols(d, m)
		}
	case "edit":
		if need(2) {
			r.checkEdit(d, m, start, end)
		}
	case "def", "refs":
		if need(2) {
			r.checkLocations(d, m, at)
		}
	case "complete":
		if need(3) {
			r.checkCompletion(d, m, start)
		}
	default:
		m.errorf(t, "unknown marker")
	}
}

func (r *markerRun) checkDiag(d *markerDoc, m marker, at, end protocol.Position) {
	re := m.args[1].re
	if re == nil {
		m.errorf(r.t, `second argument must be re"…"`)
		return
	}
	exact := m.named["exact"].truth
	sev, checkSev := m.named["severity"]
	for i, diag := range d.diags {
		if d.matched[i] || diag.Range.Start != at || (exact && diag.Range.End != end) {
			continue
		}
		if checkSev && severityName(diag.Severity) != sev.str {
			continue
		}
		if re.MatchString(fmt.Sprintf("%v: %s", diag.Code, diag.Message)) {
			d.matched[i] = true
			return
		}
	}
	var got []string
	for _, diag := range d.diags {
		got = append(got, fmt.Sprintf("%v-%v %v: %s", diag.Range.Start, diag.Range.End, diag.Code, diag.Message))
	}
	m.errorf(r.t, "no diagnostic at %v matching %s; published: %q", at, re, got)
}

func (r *markerRun) checkHover(d *markerDoc, m marker, at protocol.Position) {
	h := r.ts.hover(d.uri, at)
	if m.name == "nohover" {
		if h != nil {
			m.errorf(r.t, "unexpected hover %q", h.Contents.Value)
		}
		return
	}
	if h == nil {
		m.errorf(r.t, "no hover at %v", at)
		return
	}
	if len(m.args) < 2 {
		return
	}
	switch a := m.args[1]; a.kind {
	case 'i':
		r.golden(m, a.str, h.Contents.Value+"\n")
	case 's':
		if !strings.Contains(h.Contents.Value, a.str) {
			m.errorf(r.t, "hover %q does not contain %q", h.Contents.Value, a.str)
		}
	case 'r':
		if !a.re.MatchString(h.Contents.Value) {
			m.errorf(r.t, "hover %q does not match %s", h.Contents.Value, a.re)
		}
	}
}

func (r *markerRun) checkCodeAction(d *markerDoc, m marker, at protocol.Position) {
	kind := m.args[1].str
	actions := r.ts.codeActions(d.uri, protocol.Range{Start: at, End: at}, kind)
	var picked []codeAction
	for _, a := range actions {
		if a.Kind != kind && !strings.HasPrefix(a.Kind, kind+".") {
			m.errorf(r.t, "action %q of kind %s does not honour only=%s", a.Title, a.Kind, kind)
		}
		if title, ok := m.named["title"]; ok && !title.re.MatchString(a.Title) {
			continue
		}
		picked = append(picked, a)
	}
	if m.name == "nocodeaction" {
		if len(picked) > 0 {
			m.errorf(r.t, "unexpected actions %v", titles(picked))
		}
		return
	}
	if len(picked) != 1 {
		m.errorf(r.t, "want exactly one action, got %v (all: %v)", titles(picked), titles(actions))
		return
	}
	a := picked[0]
	if want, ok := m.named["disabled"]; ok {
		if a.Disabled == nil || !want.re.MatchString(a.Disabled.Reason) {
			m.errorf(r.t, "action %q: want disabled matching %s, got %+v", a.Title, want.re, a.Disabled)
		}
		return
	}
	if a.Disabled != nil {
		m.errorf(r.t, "action %q is disabled: %s", a.Title, a.Disabled.Reason)
		return
	}
	edit := a.Edit
	if r.caps.actionResolve && a.Data != nil {
		// What a resolving client gets must be what was sent eagerly.
		var resolved codeAction
		r.ts.mustCall(methodCodeActionResolve, a, &resolved)
		if got, want := mustJSON(resolved.Edit), mustJSON(a.Edit); got != want {
			m.errorf(r.t, "resolved edit %s differs from the eager one %s", got, want)
		}
	}
	if edit == nil && a.Command != nil {
		edit = r.runCommand(m, a.Command)
	}
	if edit == nil {
		m.errorf(r.t, "action %q has neither edit nor command", a.Title)
		return
	}
	files, err := r.applyEdit(d, edit)
	if err != nil {
		m.errorf(r.t, "applying %q: %v", a.Title, err)
		return
	}
	result, ok := m.named["result"]
	if !ok {
		return
	}
	seen := map[string]bool{}
	for rel, text := range files {
		name := result.str + "/" + rel
		seen[name] = true
		r.golden(m, name, text)
	}
	for name := range r.goldens {
		if strings.HasPrefix(name, result.str+"/") && !seen[name] {
			if *update {
				r.dropGolden(name)
				continue
			}
			m.errorf(r.t, "golden @%s: the action did not produce this file", name)
		}
	}
}

// runCommand executes an action's command and returns the edit the server
// sent back with workspace/applyEdit.
func (r *markerRun) runCommand(m marker, cmd *protocol.Command) *workspaceEdit {
	c := r.ts.client
	c.mu.Lock()
	before := len(c.edits)
	c.mu.Unlock()
	r.ts.mustCall(protocol.MethodWorkspaceExecuteCommand, cmd, nil)
	var edit workspaceEdit
	c.waitFor(r.t, "workspace/applyEdit from "+cmd.Command, func() bool {
		if len(c.edits) > before {
			edit = c.edits[before].Edit
			return true
		}
		return false
	})
	return &edit
}

// applyEdit applies a WorkspaceEdit the way a client does, checking what
// a client would check, and returns the changed or created files by path
// relative to the workspace root.
func (r *markerRun) applyEdit(d *markerDoc, w *workspaceEdit) (map[string]string, error) {
	byURI := map[string]string{}
	existing := map[string]*markerDoc{}
	for _, doc := range r.docs {
		byURI[doc.uri] = doc.text
		existing[doc.uri] = doc
	}
	changed := map[string]bool{}
	apply := func(uri string, edits []protocol.TextEdit) error {
		text, ok := byURI[uri]
		if !ok {
			if r.caps.createFiles {
				return fmt.Errorf("edit of %s, which does not exist, without a CreateFile first", uri)
			}
			text = "" // lockwise.applyFix without CreateFile: eglot opens a buffer for the new file
		}
		out, err := applyTextEdits(text, edits)
		if err != nil {
			return fmt.Errorf("%s: %v", uri, err)
		}
		byURI[uri], changed[uri] = out, true
		return nil
	}
	if len(w.Changes) > 0 && len(w.DocumentChanges) > 0 {
		return nil, fmt.Errorf("both changes and documentChanges")
	}
	if len(w.DocumentChanges) > 0 && !r.caps.documentChanges {
		return nil, fmt.Errorf("documentChanges sent to a client that does not support them")
	}
	for uri, edits := range w.Changes {
		if err := apply(string(uri), edits); err != nil {
			return nil, err
		}
	}
	for _, raw := range w.DocumentChanges {
		var op struct {
			Kind         string `json:"kind"`
			URI          string `json:"uri"`
			TextDocument *struct {
				URI     string `json:"uri"`
				Version *int32 `json:"version"`
			} `json:"textDocument"`
			Edits []protocol.TextEdit `json:"edits"`
		}
		if err := json.Unmarshal([]byte(mustJSON(raw)), &op); err != nil {
			return nil, err
		}
		switch {
		case op.Kind == "create":
			if !r.caps.createFiles {
				return nil, fmt.Errorf("CreateFile sent to a client that cannot create files")
			}
			_, open := byURI[op.URI]
			if p, ok := uriToPath(op.URI); open || ok && fileExists(p) {
				return nil, fmt.Errorf("CreateFile of existing %s", op.URI)
			}
			byURI[op.URI], changed[op.URI] = "", true
		case op.TextDocument != nil:
			doc := existing[op.TextDocument.URI]
			switch {
			case doc != nil && (op.TextDocument.Version == nil || *op.TextDocument.Version != doc.version):
				return nil, fmt.Errorf("edit of %s at version %v, the client has %d", doc.name, op.TextDocument.Version, doc.version)
			case doc == nil && op.TextDocument.Version != nil:
				return nil, fmt.Errorf("edit of new file %s with a version", op.TextDocument.URI)
			}
			if err := apply(op.TextDocument.URI, op.Edits); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("unknown document change %s", mustJSON(raw))
		}
	}
	out := map[string]string{}
	for uri := range changed {
		p, ok := uriToPath(uri)
		rel, err := filepath.Rel(r.ts.root, p)
		if !ok || err != nil {
			return nil, fmt.Errorf("edit outside the workspace: %s", uri)
		}
		out[filepath.ToSlash(rel)] = byURI[uri]
	}
	return out, nil
}

// applyTextEdits applies LSP edits (all relative to the original text),
// computing offsets independently of Mapper.
func applyTextEdits(text string, edits []protocol.TextEdit) (string, error) {
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	for _, e := range edits {
		s, err1 := naiveOffset(text, e.Range.Start)
		end, err2 := naiveOffset(text, e.Range.End)
		if err1 != nil || err2 != nil || end < s {
			return "", fmt.Errorf("bad range %v", e.Range)
		}
		spans = append(spans, span{s, end, e.NewText})
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		if sp.start < last {
			return "", fmt.Errorf("overlapping edits")
		}
		b.WriteString(text[last:sp.start])
		b.WriteString(sp.text)
		last = sp.end
	}
	b.WriteString(text[last:])
	return b.String(), nil
}

func naiveOffset(text string, p protocol.Position) (int, error) {
	lines := strings.SplitAfter(text, "\n")
	if int(p.Line) >= len(lines) {
		return 0, fmt.Errorf("line %d out of range", p.Line)
	}
	off := 0
	for _, l := range lines[:p.Line] {
		off += len(l)
	}
	units := 0
	for i, r := range lines[p.Line] {
		if units >= int(p.Character) || r == '\n' || r == '\r' {
			return off + i, nil
		}
		units += len(utf16.Encode([]rune{r}))
	}
	return off + len(lines[p.Line]), nil
}

func (r *markerRun) checkCodeLens(d *markerDoc, m marker, at protocol.Position) {
	var lenses []protocol.CodeLens
	r.ts.mustCall(protocol.MethodTextDocumentCodeLens, map[string]any{"textDocument": map[string]any{"uri": d.uri}}, &lenses)
	if m.name == "nocodelens" {
		if len(lenses) > 0 {
			m.errorf(r.t, "unexpected code lenses %+v", lenses)
		}
		return
	}
	var got []string
	for _, l := range lenses {
		if l.Range.Start.Line == at.Line && l.Command != nil {
			if len(m.args) < 2 || m.args[1].re.MatchString(l.Command.Title) {
				return
			}
			got = append(got, l.Command.Title)
		}
	}
	m.errorf(r.t, "no matching code lens on line %d (titles there: %q)", at.Line+1, got)
}

func (r *markerRun) checkSymbols(d *markerDoc, m marker) {
	var syms []protocol.DocumentSymbol
	r.ts.mustCall(protocol.MethodTextDocumentDocumentSymbol, map[string]any{"textDocument": map[string]any{"uri": d.uri}}, &syms)
	var b strings.Builder
	var render func([]protocol.DocumentSymbol, string)
	render = func(syms []protocol.DocumentSymbol, indent string) {
		for _, s := range syms {
			fmt.Fprintf(&b, "%s%s %q %d:%d-%d:%d\n", indent, symbolKindName(s.Kind), s.Name,
				s.Range.Start.Line+1, s.Range.Start.Character+1, s.Range.End.Line+1, s.Range.End.Character+1)
			render(s.Children, indent+"  ")
		}
	}
	render(syms, "")
	r.golden(m, m.args[0].str, b.String())
}

func severityName(s protocol.DiagnosticSeverity) string {
	return map[protocol.DiagnosticSeverity]string{1: "error", 2: "warning", 3: "info", 4: "hint"}[s]
}

func symbolKindName(k protocol.SymbolKind) string {
	switch k {
	case protocol.SymbolKindModule:
		return "module"
	case protocol.SymbolKindFunction:
		return "function"
	case protocol.SymbolKindEvent:
		return "operation"
	}
	return fmt.Sprint(k)
}

// checkEdit changes the document, checks the diagnostics on the marker's
// line, and changes it back.
func (r *markerRun) checkEdit(d *markerDoc, m marker, start, end int) {
	newText := m.args[1].str
	change := func(s, e int, text string) {
		d.version++
		rng := protocol.Range{Start: naivePosition(d.text, s, 0), End: naivePosition(d.text, e, 0)}
		r.ts.change(d.uri, d.version, contentChange{Range: &rng, Text: text})
		d.text = d.text[:s] + text + d.text[e:]
		r.settle(d)
	}
	old := d.text[start:end]
	change(start, end, newText)
	var onLine []string
	for _, diag := range r.diagnosticsAt(d, d.version) {
		if int(diag.Range.Start.Line) == m.line {
			onLine = append(onLine, fmt.Sprintf("%v: %s", diag.Code, diag.Message))
		}
	}
	wants := m.args[2:]
	if len(onLine) != len(wants) {
		m.errorf(r.t, "after the edit, want %d diagnostics on the line, got %q", len(wants), onLine)
	} else {
		for i, w := range wants {
			if !w.re.MatchString(onLine[i]) {
				m.errorf(r.t, "after the edit, diagnostic %q does not match %s", onLine[i], w.re)
			}
		}
	}
	change(start, start+len(newText), old)
}

// checkLocations renders the definition or references at "at", one
// location per line: path:line:col-line:col and the first line of the
// range's text.
func (r *markerRun) checkLocations(d *markerDoc, m marker, at protocol.Position) {
	method := protocol.MethodTextDocumentDefinition
	params := map[string]any{"textDocument": map[string]any{"uri": d.uri}, "position": at}
	if m.name == "refs" {
		method = protocol.MethodTextDocumentReferences
		params["context"] = map[string]any{"includeDeclaration": true}
	}
	var locs []protocol.Location
	r.ts.mustCall(method, params, &locs)
	r.golden(m, m.args[1].str, r.renderLocations(locs))
}

func (r *markerRun) renderLocations(locs []protocol.Location) string {
	var b strings.Builder
	for _, l := range locs {
		p, _ := uriToPath(string(l.URI))
		rel, err := filepath.Rel(r.ts.root, p)
		if err != nil {
			rel = p
		}
		text := ""
		if data, err := os.ReadFile(p); err == nil {
			if off, err := naiveOffset(string(data), l.Range.Start); err == nil {
				text = string(data[off:])
				if i := strings.IndexByte(text, '\n'); i >= 0 {
					text = text[:i]
				}
				if c := strings.Index(text, " #@"); c >= 0 {
					text = text[:c]
				}
			}
		}
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d %s\n", filepath.ToSlash(rel), l.Range.Start.Line+1, l.Range.Start.Character+1,
			l.Range.End.Line+1, l.Range.End.Character+1, strings.TrimSpace(text))
	}
	if len(locs) == 0 {
		b.WriteString("(none)\n")
	}
	return b.String()
}

// checkCompletion types text at offset, asks for completion at the end of
// it, renders the items (label, detail, and the edit when it is not the
// label), and undoes the change.
func (r *markerRun) checkCompletion(d *markerDoc, m marker, offset int) {
	typed := m.args[1].str
	change := func(s, e int, text string) {
		d.version++
		rng := protocol.Range{Start: naivePosition(d.text, s, 0), End: naivePosition(d.text, e, 0)}
		r.ts.change(d.uri, d.version, contentChange{Range: &rng, Text: text})
		d.text = d.text[:s] + text + d.text[e:]
	}
	change(offset, offset, typed)
	at := naivePosition(d.text, offset+len(typed), 0)
	var list protocol.CompletionList
	r.ts.mustCall(protocol.MethodTextDocumentCompletion, map[string]any{"textDocument": map[string]any{"uri": d.uri}, "position": at}, &list)
	var b strings.Builder
	for _, it := range list.Items {
		edit := ""
		if it.TextEdit != nil {
			if it.TextEdit.Range.Start.Line != at.Line || it.TextEdit.Range.End.Line != at.Line ||
				it.TextEdit.Range.Start.Character > at.Character || it.TextEdit.Range.End.Character < at.Character {
				m.errorf(r.t, "item %q: edit range %v does not hold the cursor %v", it.Label, it.TextEdit.Range, at)
			}
			lineText := strings.SplitAfter(d.text, "\n")[at.Line]
			s, _ := naiveOffset(lineText, protocol.Position{Character: it.TextEdit.Range.Start.Character})
			e, _ := naiveOffset(lineText, protocol.Position{Character: it.TextEdit.Range.End.Character})
			edit = fmt.Sprintf("  [%s => %s]", lineText[s:e], it.TextEdit.NewText)
		}
		fmt.Fprintf(&b, "%s  (%s)%s\n", it.Label, it.Detail, edit)
	}
	if len(list.Items) == 0 {
		b.WriteString("(none)\n")
	}
	r.golden(m, m.args[2].str, b.String())
	change(offset, offset+len(typed), "")
	r.settle(d)
}

func (r *markerRun) dropGolden(name string) {
	r.archive.files = slices.DeleteFunc(r.archive.files, func(f archiveFile) bool { return f.name == "@"+name })
	r.reindexGoldens()
	r.dirty = true
}

func (r *markerRun) reindexGoldens() {
	r.goldens = map[string]*archiveFile{}
	for i := range r.archive.files {
		if n := r.archive.files[i].name; strings.HasPrefix(n, "@") {
			r.goldens[n[1:]] = &r.archive.files[i]
		}
	}
}

// golden compares got with the golden section @name, or records it with -update.
func (r *markerRun) golden(m marker, name, got string) {
	f, ok := r.goldens[name]
	if *update {
		if !ok {
			r.archive.files = append(r.archive.files, archiveFile{name: "@" + name})
			r.reindexGoldens()
			f = r.goldens[name]
		}
		if f.data != got {
			f.data, r.dirty = got, true
		}
		return
	}
	if !ok {
		m.errorf(r.t, "no golden @%s; got:\n%s", name, got)
		return
	}
	if f.data != got {
		m.errorf(r.t, "@%s differs:\n--- got ---\n%s--- want ---\n%s", name, got, f.data)
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func titles(actions []codeAction) []string {
	var out []string
	for _, a := range actions {
		out = append(out, a.Kind+" "+strconv.Quote(a.Title))
	}
	return out
}

func posLess(a, b protocol.Position) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Character < b.Character
}

func mustJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(data)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// parseCalls parses `name(arg, key=arg), name2()` where an arg is a Go
// string, re"…" (verbatim but for \", so re"\(" is a literal paren), an
// identifier, a number or a boolean.
func parseCalls(s string) ([]marker, error) {
	p := &callParser{s: s}
	var out []marker
	for {
		p.space()
		if p.done() {
			return out, nil
		}
		name := p.ident()
		if name == "" {
			return nil, fmt.Errorf("expected a marker name at %q", p.rest())
		}
		m := marker{name: name, named: map[string]markerArg{}}
		if !p.eat('(') {
			return nil, fmt.Errorf("expected ( after %s", name)
		}
		for p.space(); !p.eat(')'); p.space() {
			key := ""
			save := p.i
			if id := p.ident(); id != "" && p.eat('=') {
				key = id
			} else {
				p.i = save
			}
			a, err := p.arg()
			if err != nil {
				return nil, err
			}
			if key != "" {
				m.named[key] = a
			} else {
				m.args = append(m.args, a)
			}
			p.space()
			if !p.eat(',') {
				p.space()
				if !p.eat(')') {
					return nil, fmt.Errorf("expected , or ) at %q", p.rest())
				}
				break
			}
		}
		out = append(out, m)
		p.space()
		if !p.eat(',') {
			p.space()
			if !p.done() {
				return nil, fmt.Errorf("unexpected %q", p.rest())
			}
		}
	}
}

type callParser struct {
	s string
	i int
}

func (p *callParser) done() bool   { return p.i >= len(p.s) }
func (p *callParser) rest() string { return p.s[p.i:] }
func (p *callParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *callParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *callParser) ident() string {
	start := p.i
	for p.i < len(p.s) && (unicode.IsLetter(rune(p.s[p.i])) || p.s[p.i] == '_' || p.i > start && unicode.IsDigit(rune(p.s[p.i]))) {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *callParser) arg() (markerArg, error) {
	switch {
	case strings.HasPrefix(p.rest(), `re"`) || strings.HasPrefix(p.rest(), "re`"):
		p.i += 2
		s, err := p.str()
		if err != nil {
			return markerArg{}, err
		}
		if strings.HasPrefix(s, `"`) {
			s = strings.ReplaceAll(s[1:len(s)-1], `\"`, `"`) // verbatim: \( stays \(
		} else {
			s = s[1 : len(s)-1]
		}
		re, err := regexp.Compile(s)
		if err != nil {
			return markerArg{}, err
		}
		return markerArg{kind: 'r', str: s, re: re}, nil
	case strings.HasPrefix(p.rest(), `"`) || strings.HasPrefix(p.rest(), "`"):
		lit, err := p.str()
		if err != nil {
			return markerArg{}, err
		}
		s, err := strconv.Unquote(lit)
		return markerArg{kind: 's', str: s, re: regexp.MustCompile(regexp.QuoteMeta(s))}, err
	}
	id := p.ident()
	switch {
	case id == "true" || id == "false":
		return markerArg{kind: 'b', str: id, truth: id == "true"}, nil
	case id != "":
		return markerArg{kind: 'i', str: id}, nil
	}
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] == '-' || unicode.IsDigit(rune(p.s[p.i]))) {
		p.i++
	}
	n, err := strconv.Atoi(p.s[start:p.i])
	if err != nil {
		return markerArg{}, fmt.Errorf("bad argument at %q", p.s[start:])
	}
	return markerArg{kind: 'n', num: n}, nil
}

// str reads a quoted literal ("…" with backslash escapes, or `…`) and
// returns it with its quotes.
func (p *callParser) str() (string, error) {
	q := p.s[p.i]
	end := p.i + 1
	for end < len(p.s) && p.s[end] != q {
		if q == '"' && p.s[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(p.s) {
		return "", fmt.Errorf("unterminated string at %q", p.rest())
	}
	lit := p.s[p.i : end+1]
	p.i = end + 1
	return lit, nil
}

// A minimal txtar (golang.org/x/tools/txtar is not a dependency of this module).
type archive struct {
	comment string
	files   []archiveFile
}

type archiveFile struct {
	name string
	data string
}

func parseTxtar(s string) *archive {
	a := &archive{}
	cur := &a.comment
	for _, line := range strings.SplitAfter(s, "\n") {
		t := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(t, "-- ") && strings.HasSuffix(t, " --") && len(t) > 6 {
			a.files = append(a.files, archiveFile{name: strings.TrimSpace(t[3 : len(t)-3])})
			cur = &a.files[len(a.files)-1].data
			continue
		}
		*cur += line
	}
	return a
}

func (a *archive) format() string {
	var b strings.Builder
	b.WriteString(a.comment)
	for _, f := range a.files {
		fmt.Fprintf(&b, "-- %s --\n", f.name)
		b.WriteString(f.data)
		if f.data != "" && !strings.HasSuffix(f.data, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}
