package analysis

import (
	"github.com/lockwise/lockwise/analysis/locks"
)

// DocsBase is where the rule pages live; a rule's page is DocsBase + id + ".md".
const DocsBase = "https://github.com/lockwise/lockwise/blob/main/docs/rules/"

// Analyzer is one rule, in the style of golang.org/x/tools/go/analysis: a
// declarative value whose Run reads the migration model and the lock facts
// and reports diagnostics. Rules hold no state.
type Analyzer struct {
	// Name is the rule id: the diagnostic code, the config key and the
	// suppression name.
	Name string
	// Doc says in one line what the rule catches.
	Doc string
	// Severity is the default severity.
	Severity Severity
	// EM lists the excellent_migrations checks the rule supersedes; their
	// suppression comments suppress it too.
	EM  []string
	Run func(*Pass)
}

// URL is the rule's documentation page.
func (a *Analyzer) URL() string { return DocsBase + a.Name + ".md" }

// Pass is what a rule sees of one migration file.
type Pass struct {
	Analyzer  *Analyzer
	Migration *Migration
	// Up and Down are the lock facts of each direction's ops, in order.
	Up, Down []*OpFacts
	// Context is the lock-model context the facts were computed in.
	Context locks.Context
	// Schema is what the workspace knows (nil-safe through the helpers below).
	Schema Schema
	// Repo is the repo configuration read from config/*.exs.
	Repo *RepoConfig
	// Severity is the severity configured for this rule.
	Severity Severity
	// Siblings are the file names of the migration's directory, so that
	// fixes creating migrations pick free versions.
	Siblings []string
	report   func(Diagnostic)
}

// Schema is what the workspace model knows beyond one file: the lock
// model's view plus the Ecto schemas in lib/.
type Schema interface {
	locks.Schema
	// SchemaFields lists the Ecto schema modules mapping table that still
	// have a field stored in column, with the file places that declare it.
	SchemaFields(table, column string) []Related
	// Schemas lists the Ecto schema modules mapping table.
	Schemas(table string) []Related
	// TableCreatedIn returns the migration that created the table ("" when unknown).
	TableCreatedIn(table string) (path string, start, end int, ok bool)
}

// NewPass prepares a pass; report receives each diagnostic.
func NewPass(a *Analyzer, m *Migration, up, down []*OpFacts, ctx locks.Context, schema Schema, repo *RepoConfig, sev Severity, report func(Diagnostic)) *Pass {
	return &Pass{Analyzer: a, Migration: m, Up: up, Down: down, Context: ctx, Schema: schema, Repo: repo, Severity: sev, report: report}
}

// Report records a diagnostic of the pass's rule: its id, URL and severity
// are filled in.
func (p *Pass) Report(d Diagnostic) { p.emit(d, p.Severity) }

func (p *Pass) emit(d Diagnostic, sev Severity) {
	d.Rule = p.Analyzer.Name
	d.URL = p.Analyzer.URL()
	d.Severity = sev
	p.report(d)
}

// ReportEscalated reports a diagnostic one severity level above the
// configured one (hint → info → warning → error), for findings the
// catalog makes worse in some cases: a removed column an Ecto schema still
// has is an error while the rule is a warning. A rule configured off
// reports nothing, so this is never called then.
func (p *Pass) ReportEscalated(d Diagnostic) {
	p.emit(d, min(p.Severity+1, Error))
}

// PGVersion is the PostgreSQL major version the facts assume.
func (p *Pass) PGVersion() int {
	if p.Context.PGVersion == 0 {
		return locks.DefaultPGVersion
	}
	return p.Context.PGVersion
}
