package lsp

import (
	"context"
	"strconv"
	"sync"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/analysis/present"
	"github.com/lockwise/lockwise/analysis/project"
	"github.com/lockwise/lockwise/analysis/rules"
	"github.com/lockwise/lockwise/analysis/workspace"
)

// AnalysisEngine is the real Engine: it runs lockwise's rules (package
// analysis) on the document and renders hovers, the outline and the lock
// hints with package present. Project settings come from .lockwise.toml
// and config/*.exs (package project); the editor's settings fill in where
// the project says nothing and add per-user rule severities.
type AnalysisEngine struct {
	mu      sync.Mutex
	loaders map[string]*project.Loader // by the editor settings (and config epoch) they were made for
}

// NewAnalysisEngine returns the engine `lockwise lsp` serves.
func NewAnalysisEngine() *AnalysisEngine {
	return &AnalysisEngine{loaders: map[string]*project.Loader{}}
}

func (e *AnalysisEngine) loader(s Settings, epoch uint64) *project.Loader {
	// A Loader reads each .lockwise.toml and config/*.exs once: a new
	// epoch (one of them changed on disk) needs a new Loader.
	key := settingsKey(s) + "@" + strconv.FormatUint(epoch, 10)
	e.mu.Lock()
	defer e.mu.Unlock()
	l := e.loaders[key]
	if l == nil {
		opts := project.Options{Catalog: rules.All}
		if s.PostgresVersion != DefaultSettings().PostgresVersion {
			opts.PGVersion = s.PostgresVersion
		}
		l = project.NewLoader(opts)
		e.loaders = map[string]*project.Loader{key: l} // one set of settings at a time
	}
	return l
}

func settingsKey(s Settings) string {
	return string(rune(s.PostgresVersion)) + boolKey(s.AssumeUTC) + s.StartAfter
}

func boolKey(b bool) string {
	if b {
		return "t"
	}
	return "f"
}

// Analyze implements Engine. With a workspace, the rules see the schema
// the earlier migrations of the document's repo built (old column types,
// validated checks, indexes) and the Ecto schemas of lib/, and hovers over
// table and column names show what the workspace knows of them.
func (e *AnalysisEngine) Analyze(ctx context.Context, in AnalyzeInput) *Analysis {
	cs := check.DefaultSettings()
	if in.Path != "" {
		cs = e.loader(in.Settings, in.ConfigEpoch).File(in.Path).Settings
	}
	cs = withEditorSettings(cs, in.Settings)
	m := analysis.Build(in.Path, in.File, analysis.BuildOptions{Repo: cs.Repo})
	if m.Module == "" {
		return nil
	}
	var ws present.Workspace
	if in.Workspace != nil && in.Path != "" {
		if len(in.File.Errors) == 0 {
			// Before the rules run: documents after this one start
			// re-analysing while this one finishes.
			in.Workspace.Record(m)
		}
		// One view for the rules and the hovers: a State never changes
		// once taken, so later hovers describe what the rules saw.
		view := in.Workspace.View(in.Path, cs.StartAfter)
		cs.Schema = view
		ws = presentWorkspace{model: in.Workspace, path: in.Path, view: view}
	}
	res := check.RunModel(m, cs, rules.All)
	if ctx.Err() != nil {
		return nil
	}
	out := &Analysis{}
	for _, d := range res.Diagnostics {
		d.Fixes = append(d.Fixes, check.SuppressFix(res.Migration, d))
		out.Diagnostics = append(out.Diagnostics, d)
	}
	lockHints := in.Settings.LockHints
	out.HoverAt = func(offset int) []Hover { return lspHovers(present.HoversAt(res, ws, offset)) }
	out.Details = func() Details {
		var det Details
		det.Hovers = lspHovers(present.Hovers(res, ws))
		det.Symbols = symbolsOf(present.Outline(res))
		if lockHints {
			for _, h := range present.Hints(res) {
				det.Hints = append(det.Hints, Hint{Start: h.Start, End: h.End, Label: h.Label})
			}
		}
		return det
	}
	return out
}

func lspHovers(hs []present.Hover) []Hover {
	out := make([]Hover, 0, len(hs))
	for _, h := range hs {
		out = append(out, Hover{Start: h.Start, End: h.End, Markdown: h.Markdown, Text: h.Text})
	}
	return out
}

// presentWorkspace adapts a ProjectModel to present.Workspace, with the
// view the document was analysed with.
type presentWorkspace struct {
	model ProjectModel
	path  string
	view  *workspace.View
}

func (w presentWorkspace) View(path string) *workspace.View {
	if path == w.path {
		return w.view
	}
	return w.model.View(path, "")
}

func (w presentWorkspace) EctoSchemas(table string) []*workspace.EctoSchema {
	return w.model.EctoSchemas(table)
}

// withEditorSettings applies the editor's settings over the project's:
// rule severities set in the editor win (a personal choice); the rest
// (postgres_version, assume_utc, start_after) only when the project has
// no .lockwise.toml saying otherwise.
func withEditorSettings(cs check.Settings, s Settings) check.Settings {
	if len(s.Rules) > 0 {
		sev := make(map[string]analysis.Severity, len(cs.Severities)+len(s.Rules))
		for k, v := range cs.Severities {
			sev[k] = v
		}
		for k, v := range s.Rules {
			sev[k] = v
		}
		cs.Severities = sev
	}
	def := DefaultSettings()
	if s.AssumeUTC != def.AssumeUTC {
		cs.AssumeUTC = s.AssumeUTC
	}
	if s.StartAfter != "" && cs.StartAfter == "" {
		cs.StartAfter = s.StartAfter
	}
	return cs
}

func symbolsOf(ss []present.Symbol) []Symbol {
	out := make([]Symbol, 0, len(ss))
	for _, s := range ss {
		out = append(out, Symbol{Name: s.Name, Detail: s.Detail, Kind: SymbolKind(s.Kind), Start: s.Start, End: s.End,
			NameStart: s.NameStart, NameEnd: s.NameEnd, Children: symbolsOf(s.Children)})
	}
	return out
}
