package analysis

import "github.com/lockwise/lockwise/analysis/locks"

// Severity of a diagnostic, from most to least severe. Off disables a rule.
type Severity int

const (
	Off Severity = iota
	Hint
	Info
	Warning
	Error
)

var severityNames = [...]string{"off", "hint", "info", "warning", "error"}

func (s Severity) String() string {
	if int(s) < len(severityNames) && s >= 0 {
		return severityNames[s]
	}
	return "unknown"
}

// ParseSeverity reads a severity name as written in configuration.
func ParseSeverity(s string) (Severity, bool) {
	for i, n := range severityNames {
		if n == s {
			return Severity(i), true
		}
	}
	if s == "information" {
		return Info, true
	}
	return Off, false
}

// Classification says how dangerous an operation is (DESIGN.md
// "Classification"); the lock model defines it.
type Classification = locks.Classification

const (
	Safe      = locks.Safe
	Risky     = locks.Risky
	Dangerous = locks.Dangerous
	Unknown   = locks.Unknown
)

// Diagnostic is one finding. Offsets are bytes into the analysed file.
type Diagnostic struct {
	Rule           string // rule id, e.g. "index-not-concurrently"
	Severity       Severity
	Start, End     int
	Message        string
	URL            string // documentation page of the rule
	Classification Classification
	Lock           string // strongest lock on Table, Postgres's words ("SHARE"), when known
	Table          string
	Related        []Related
	Fixes          []Fix
}

// Related points at another place that explains a diagnostic (an Ecto
// schema that still has a removed field, the migration that created a table).
type Related struct {
	Path       string // file path; "" means the analysed file
	Start, End int
	Message    string
}

// FixKind is the LSP code action kind a fix is offered under.
type FixKind string

const (
	QuickFix      FixKind = "quickfix"
	RefactorSplit FixKind = "refactor.rewrite.expandContract"
	Suppress      FixKind = "quickfix.suppress"
)

// Fix is one alternative way to address a diagnostic: edits to the analysed
// file and, for expand-contract splits, new migration files.
type Fix struct {
	Title    string
	Kind     FixKind
	Edits    []TextEdit
	NewFiles []NewFile
}

// TextEdit replaces bytes [Start, End) of the analysed file with NewText.
type TextEdit struct {
	Start, End int
	NewText    string
}

// NewFile is a file a fix creates, with a path relative to the analysed
// file's directory (migrations are created next to it).
type NewFile struct {
	Name    string // file name only, e.g. "20240102000001_validate_users_org_fk.exs"
	Content string
}
