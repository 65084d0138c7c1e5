package lsp

import (
	"context"
	"sync"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/analysis/present"
	"github.com/lockwise/lockwise/analysis/project"
	"github.com/lockwise/lockwise/analysis/rules"
)

// AnalysisEngine is the real Engine: it runs lockwise's rules (package
// analysis) on the document and renders hovers, the outline and the lock
// hints with package present. Project settings come from .lockwise.toml
// and config/*.exs (package project); the editor's settings fill in where
// the project says nothing and add per-user rule severities.
type AnalysisEngine struct {
	mu      sync.Mutex
	loaders map[string]*project.Loader // by the editor settings they were made for
}

// NewAnalysisEngine returns the engine `lockwise lsp` serves.
func NewAnalysisEngine() *AnalysisEngine {
	return &AnalysisEngine{loaders: map[string]*project.Loader{}}
}

func (e *AnalysisEngine) loader(s Settings) *project.Loader {
	key := settingsKey(s)
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

// Analyze implements Engine.
func (e *AnalysisEngine) Analyze(ctx context.Context, in AnalyzeInput) *Analysis {
	cs := check.DefaultSettings()
	if in.Path != "" {
		cs = e.loader(in.Settings).File(in.Path).Settings
	}
	cs = withEditorSettings(cs, in.Settings)
	res := check.Run(in.Path, in.File, cs, rules.All)
	if res.Migration == nil || res.Migration.Module == "" || ctx.Err() != nil {
		return nil
	}
	out := &Analysis{}
	for _, d := range res.Diagnostics {
		d.Fixes = append(d.Fixes, check.SuppressFix(res.Migration, d))
		out.Diagnostics = append(out.Diagnostics, d)
	}
	for _, h := range present.Hovers(res, nil) {
		out.Hovers = append(out.Hovers, Hover{Start: h.Start, End: h.End, Markdown: h.Markdown, Text: h.Text})
	}
	out.Symbols = symbolsOf(present.Outline(res))
	if in.Settings.LockHints {
		for _, h := range present.Hints(res) {
			out.Hints = append(out.Hints, Hint{Start: h.Start, End: h.End, Label: h.Label})
		}
	}
	return out
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
