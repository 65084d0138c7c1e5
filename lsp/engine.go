package lsp

import (
	"context"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/workspace"
	"github.com/lockwise/lockwise/grammar"
)

// Engine computes everything the server shows for one version of one
// document. The real implementation wraps package analysis; tests use a fake.
//
// Contract:
//   - Analyze runs on the document's own goroutine. It is never called
//     concurrently for the same document, but is for different documents.
//   - ctx is cancelled when a newer version (or new settings) supersedes the
//     run; the result is then discarded, so returning early is fine.
//   - in.Text and in.File must not be modified. in.File is plain data
//     extracted from the document's incrementally re-parsed tree; the tree
//     itself never leaves the document goroutine (STYLE.md 4.2.1).
//   - The result must be plain values: requests read it from other
//     goroutines, after Analyze has returned, possibly many times. Nothing in
//     it may call back into the parser or tree.
//   - All offsets are bytes into in.Text. The server clamps offsets that fall
//     outside the text, drops diagnostics with severity Off, removes
//     duplicates and fixes whose edits overlap or leave the text, then
//     converts to UTF-16 positions itself.
//   - A nil result means "nothing to show". A panic is recovered and logged
//     and treated like nil.
//   - in.Workspace, when set, is shared with every document of the project
//     and safe for concurrent use. The engine reads the schema the
//     migrations before the document built, and records the document's
//     migration as its current text builds it (unless the text does not
//     parse: the last good version then stays), so that later migrations
//     see unsaved edits. Recording may make the server re-analyse other
//     documents; it never blocks on them.
type Engine interface {
	Analyze(ctx context.Context, in AnalyzeInput) *Analysis
}

// AnalyzeInput is one document version to analyse.
type AnalyzeInput struct {
	URI  string // the document URI exactly as the client sent it
	Path string // file system path of a file: URI
	// Root is the directory the migration path was matched against: the
	// nearest ancestor holding mix.exs, or else the workspace folder. It is
	// where .lockwise.toml lookup and workspace replay should start.
	Root     string
	Version  int32
	Text     []byte
	File     *grammar.File
	Settings Settings
	// Workspace is the model of the document's project; nil when the
	// document belongs to none.
	Workspace ProjectModel
	// ConfigEpoch increases whenever a .lockwise.toml or a config/*.exs
	// changed on disk: project settings read before it are stale.
	ConfigEpoch uint64
}

// ProjectModel is the workspace model of one project as the server keeps
// it current: the migrations of each repo replayed in version order (open
// documents with their unsaved text) and the Ecto schemas of lib/.
type ProjectModel interface {
	// View is the schema the migration at path sees (tables created by
	// migrations after startAfter count as new).
	View(path, startAfter string) *workspace.View
	// EctoSchemas lists the Ecto schemas of lib/ that map table.
	EctoSchemas(table string) []*workspace.EctoSchema
	// Record makes m, built from a document's current text, the version of
	// its migration that later migrations are replayed on.
	Record(m *analysis.Migration)
}

// Analysis is what the server shows for one document version.
type Analysis struct {
	// Diagnostics are published, and their Fixes become code actions.
	// analysis.Related.Path may be absolute or relative to AnalyzeInput.Root;
	// "" is the analysed file.
	Diagnostics []analysis.Diagnostic
	// Hovers are answered by range: the smallest one containing the
	// position wins, so a whole-operation hover and a table-name hover
	// inside it can coexist.
	Hovers  []Hover
	Symbols []Symbol
	// Hints are the per-operation lock hints shown as code lenses
	// (protocol v0.12 has no inlay hints, STYLE.md 4.1.1).
	Hints []Hint
	// Details, when set, computes Hovers, Symbols and Hints later: the
	// server calls it at most once, when a request first needs them, so
	// that the diagnostics of a keystroke are published without waiting
	// for texts nobody may ask for. It runs after Analyze returned, on any
	// goroutine, and must read only plain values; its result replaces the
	// three fields.
	Details func() Details
	// HoverAt, when set with Details, renders only the hovers whose range
	// holds offset (ends included): a hover asked before Details ran does
	// not wait for every text of the file. Same rules as Details.
	HoverAt func(offset int) []Hover
}

// Details are the parts of an Analysis that requests read.
type Details struct {
	Hovers  []Hover
	Symbols []Symbol
	Hints   []Hint
}

// Hover is the text shown over the bytes [Start, End).
type Hover struct {
	Start, End int
	Markdown   string // for clients whose hover contentFormat prefers markdown
	Text       string // plain text for the others (eglot without markdown-mode); Markdown is used when empty
}

// SymbolKind is the kind of a document symbol.
type SymbolKind int

const (
	SymbolModule    SymbolKind = iota + 1 // defmodule
	SymbolFunction                        // change/0, up/0, down/0, after_begin/0...
	SymbolOperation                       // create index(...), alter table(...), execute "..."
	SymbolTable                           // a table named by an operation
	SymbolColumn                          // a column added, modified or removed
)

// Symbol is one entry of the document outline. [Start, End) is the whole
// construct, [NameStart, NameEnd) the part to select (it must lie inside
// the whole; it defaults to the start).
type Symbol struct {
	Name               string
	Detail             string
	Kind               SymbolKind
	Start, End         int
	NameStart, NameEnd int
	Children           []Symbol
}

// Hint is a lock hint for the operation at [Start, End), e.g.
// "SHARE on users: blocks writes while the index builds".
type Hint struct {
	Start, End int
	Label      string
}
