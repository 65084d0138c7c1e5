// Package check runs the rules over one migration file: it builds the
// migration model, computes the lock facts of both directions, runs every
// enabled rule and applies the suppression comments. Front ends (the CLI,
// the language server) call Run and render its Result.
package check

import (
	"sort"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/grammar"
)

// Settings are the knobs of one run (from .lockwise.toml, the LSP settings
// or CLI flags).
type Settings struct {
	// PGVersion is the PostgreSQL major version (0: 15).
	PGVersion int
	// AssumeUTC tells that the session TimeZone is UTC (default true).
	AssumeUTC bool
	// Severities override the rules' default severities (Off disables).
	Severities map[string]analysis.Severity
	// StartAfter: migrations whose version is not greater are not reported.
	StartAfter string
	// Repo is the repo configuration (nil: Ecto's defaults).
	Repo *analysis.RepoConfig
	// Schema is what the workspace knows (nil: nothing).
	Schema analysis.Schema
	// Siblings are the file names in the migration's directory (fixes that
	// create migrations pick versions not taken).
	Siblings []string
	// Catalog is every rule, to validate the ids of suppression comments
	// when Run is given only some rules (nil: the rules given to Run).
	Catalog []*analysis.Analyzer
}

// DefaultSettings are the defaults of DESIGN.md.
func DefaultSettings() Settings {
	return Settings{PGVersion: locks.DefaultPGVersion, AssumeUTC: true}
}

// Result is everything known about one file.
type Result struct {
	Migration *analysis.Migration
	Up, Down  []*analysis.OpFacts
	// Diagnostics are sorted by position, suppressions applied.
	Diagnostics []analysis.Diagnostic
	// Suppressed counts the diagnostics suppression comments removed.
	Suppressed int
	// Skipped is set when the file is older than start_after.
	Skipped bool
}

// Run analyses one parsed file with the given rules.
func Run(path string, file *grammar.File, s Settings, rules []*analysis.Analyzer) *Result {
	return RunModel(analysis.Build(path, file, analysis.BuildOptions{Repo: s.Repo}), s, rules)
}

// RunModel analyses a built migration (built with s.Repo).
func RunModel(m *analysis.Migration, s Settings, rules []*analysis.Analyzer) *Result {
	res := &Result{Migration: m}
	if m.Module == "" {
		return res
	}
	ctx := locks.Context{PGVersion: s.PGVersion, AssumeUTC: s.AssumeUTC}
	if s.Repo != nil {
		ctx.LockTimeout = s.Repo.LockTimeout
	}
	if s.Schema != nil {
		ctx.Schema = s.Schema
	}
	res.Up = analysis.ComputeFacts(m, m.Up, ctx, s.Repo)
	res.Down = analysis.ComputeFacts(m, m.Down, ctx, s.Repo)
	if s.StartAfter != "" && m.Version != "" && versionLE(m.Version, s.StartAfter) {
		res.Skipped = true
		return res
	}
	var diags []analysis.Diagnostic
	for _, a := range rules {
		sev := a.Severity
		if o, ok := s.Severities[a.Name]; ok {
			sev = o
		}
		if sev == analysis.Off {
			continue
		}
		pass := analysis.NewPass(a, m, res.Up, res.Down, ctx, s.Schema, s.Repo, sev, func(d analysis.Diagnostic) {
			diags = append(diags, d)
		})
		pass.Siblings = s.Siblings
		a.Run(pass)
	}
	catalog := s.Catalog
	if catalog == nil {
		catalog = rules
	}
	// Rules may quote names built at run time: show them as their source.
	for i := range diags {
		diags[i].Message = m.Display(diags[i].Message)
		diags[i].Table = m.Display(diags[i].Table)
	}
	sup := parseSuppressions(m, catalog)
	diags, res.Suppressed = sup.apply(diags)
	diags = append(diags, sup.problems...)
	res.Diagnostics = dedupe(diags)
	return res
}

// versionLE compares migration versions numerically (they are digits of
// possibly different lengths).
func versionLE(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a <= b
}

func dedupe(ds []analysis.Diagnostic) []analysis.Diagnostic {
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].Start != ds[j].Start {
			return ds[i].Start < ds[j].Start
		}
		if ds[i].Rule != ds[j].Rule {
			return ds[i].Rule < ds[j].Rule
		}
		return ds[i].Message < ds[j].Message
	})
	out := ds[:0]
	for i, d := range ds {
		if i > 0 {
			p := ds[i-1]
			if p.Start == d.Start && p.End == d.End && p.Rule == d.Rule && p.Message == d.Message {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}
