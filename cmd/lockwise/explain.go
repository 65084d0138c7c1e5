package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/analysis/project"
	"github.com/lockwise/lockwise/analysis/rules"
	"github.com/lockwise/lockwise/grammar"
)

const explainUsage = `Usage: lockwise explain [--format markdown|json] [--pg-version N] [--config FILE] FILE...

Prints the Migration Report of each migration: its transaction and migration
lock, its overall classification and, for every operation of the up
direction, the SQL Ecto sends, the lock it takes on each relation and what
that blocks, whether it scans or rewrites the table or fails, the
PostgreSQL-version notes, and the rules that fire on it with their advice;
then the rollback. A directory is searched as 'lockwise check' does.

--format json prints one object for one named file, an array otherwise.

Flags:
`

// The explain JSON report (DESIGN.md "CLI contract"), with a few more
// fields: notes, locks, findings, proposed_steps, problems, rollback.
type explainJSON struct {
	Path            string          `json:"path"`
	Module          string          `json:"module"`
	Transaction     bool            `json:"transaction"`
	MigrationLock   bool            `json:"migration_lock"`
	Classification  string          `json:"classification"`
	PostgresVersion int             `json:"postgres_version"`
	Operations      []explainOpJSON `json:"operations"`
	// Findings are the diagnostics that belong to no operation (the
	// module, its attributes, a missing down/0...).
	Findings []explainRuleJSON `json:"findings"`
	// ProposedSteps is where the expand-contract steps go: for now, the
	// fixes the diagnostics carry (edits of this file, new migrations).
	ProposedSteps []proposedStepJSON `json:"proposed_steps"`
	// Problems are constructs Ecto rejects or lockwise cannot follow.
	Problems []problemJSON `json:"problems"`
	Rollback rollbackJSON  `json:"rollback"`
}

type explainOpJSON struct {
	Line           int               `json:"line"`
	EndLine        int               `json:"end_line"`
	Kind           string            `json:"kind"`
	Table          *string           `json:"table"`
	SQL            []string          `json:"sql"`
	Lock           *string           `json:"lock"`
	Locks          []lockJSON        `json:"locks"`
	BlocksReads    bool              `json:"blocks_reads"`
	BlocksWrites   bool              `json:"blocks_writes"`
	Scans          bool              `json:"scans"`
	Rewrites       bool              `json:"rewrites"`
	Fails          *string           `json:"fails"`
	Notes          []string          `json:"notes"`
	Explanation    []string          `json:"explanation"`
	Classification string            `json:"classification"`
	Rules          []explainRuleJSON `json:"rules"`
}

type lockJSON struct {
	Relation string `json:"relation"`
	Lock     string `json:"lock"`
	// The markdown also names the kind of object and says that nobody
	// waits on an object the migration creates.
	kind locks.RelKind
	name string
	new  bool
}

type explainRuleJSON struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Line     int    `json:"line"`
	Message  string `json:"message"`
	URL      string `json:"url,omitempty"`
}

type proposedStepJSON struct {
	Rule     string   `json:"rule"`
	Line     int      `json:"line"`
	Title    string   `json:"title"`
	Kind     string   `json:"kind"`
	NewFiles []string `json:"new_files"`
}

type problemJSON struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

type rollbackJSON struct {
	// Source is "down", "change" (reversed by Ecto) or "" when there is
	// no way back at all.
	Source       string   `json:"source"`
	SQL          []string `json:"sql"`
	Irreversible *string  `json:"irreversible"`
	// IrreversibleLine is where the command Ecto cannot reverse is, 0 when
	// there is none.
	IrreversibleLine int `json:"irreversible_line,omitempty"`
}

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "markdown", "markdown or json")
	settings := addSettingsFlags(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, explainUsage)
		fs.PrintDefaults()
	}
	paths, code, ok := parseCommand(fs, args)
	if !ok {
		return code
	}
	if *format != "markdown" && *format != "json" {
		fmt.Fprintf(stderr, "lockwise explain: --format must be markdown or json, not %q\n", *format)
		return 2
	}
	if !settings.valid("explain", stderr) {
		return 2
	}
	if len(paths) == 0 {
		fs.Usage()
		return 2
	}
	loader := project.NewLoader(project.Options{ConfigFile: *settings.configFile, PGVersion: *settings.pgVersion, Catalog: rules.All})
	targets, errs := loader.Discover(paths)
	code = 0
	for _, err := range errs {
		fmt.Fprintf(stderr, "lockwise explain: %v\n", err)
		code = 2
	}
	var reports []explainJSON
	for _, t := range targets {
		rep, err := explainFile(loader, t.Path)
		if err != nil {
			if t.Explicit || !errors.Is(err, errNotMigration) {
				fmt.Fprintf(stderr, "lockwise explain: %v\n", err)
				code = 2
			}
			continue
		}
		reports = append(reports, rep)
	}
	for _, err := range loader.Problems() {
		fmt.Fprintf(stderr, "lockwise: %v\n", err)
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		// One named file gives one object (as `lockwise sql` does), anything
		// else an array.
		if len(paths) == 1 && len(targets) == 1 && targets[0].Explicit && len(reports) == 1 {
			_ = enc.Encode(reports[0])
		} else {
			if reports == nil {
				reports = []explainJSON{}
			}
			_ = enc.Encode(reports)
		}
		return code
	}
	for i, rep := range reports {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		writeExplainMarkdown(stdout, rep)
	}
	return code
}

var errNotMigration = errors.New("not an Ecto migration (no module uses Ecto.Migration)")

// explainFile builds the report of one file.
func explainFile(loader *project.Loader, path string) (explainJSON, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return explainJSON{}, err
	}
	settings := loader.File(path).Settings
	settings.StartAfter = "" // asked about explicitly: released or not, explain it
	res := check.Run(path, grammar.Parse(src), settings, rules.All)
	m := res.Migration
	if m.Module == "" {
		return explainJSON{}, fmt.Errorf("%s: %w", path, errNotMigration)
	}
	line := func(off int) int { return m.Lines.Line(off) + 1 }
	out := explainJSON{
		Path: path, Module: m.Module, Transaction: m.Transaction, MigrationLock: m.MigrationLock,
		Classification: analysis.Safe.String(), PostgresVersion: settings.PGVersion,
		Operations: []explainOpJSON{}, Findings: []explainRuleJSON{}, ProposedSteps: []proposedStepJSON{}, Problems: []problemJSON{},
	}
	// Each diagnostic goes to the first operation whose range holds it;
	// the others are findings about the file.
	placed := make([]bool, len(res.Diagnostics))
	worst := analysis.Safe
	for _, of := range res.Up {
		op := explainOp(m, of)
		for i, d := range res.Diagnostics {
			if !placed[i] && of.Op.End > of.Op.Start && d.Start >= of.Op.Start && d.Start < of.Op.End {
				placed[i] = true
				op.Rules = append(op.Rules, ruleJSON(m, d))
			}
		}
		if analysis.Worse(of.Classification, worst) {
			worst = of.Classification
		}
		out.Operations = append(out.Operations, op)
	}
	out.Classification = worst.String()
	for i, d := range res.Diagnostics {
		if !placed[i] {
			out.Findings = append(out.Findings, ruleJSON(m, d))
		}
		for _, fx := range d.Fixes {
			step := proposedStepJSON{Rule: d.Rule, Line: line(d.Start), Title: fx.Title, Kind: string(fx.Kind), NewFiles: []string{}}
			for _, nf := range fx.NewFiles {
				step.NewFiles = append(step.NewFiles, nf.Name)
			}
			out.ProposedSteps = append(out.ProposedSteps, step)
		}
	}
	for _, p := range m.Problems {
		out.Problems = append(out.Problems, problemJSON{Line: line(p.Start), Message: p.Message})
	}
	out.Rollback = rollbackOf(m)
	return out, nil
}

// explainOp summarises the facts of one operation's statements.
func explainOp(m *analysis.Migration, of *analysis.OpFacts) explainOpJSON {
	op := of.Op
	out := explainOpJSON{
		Line: m.Lines.Line(op.Start) + 1, EndLine: m.Lines.Line(op.End) + 1, Kind: op.Kind.String(),
		SQL: []string{}, Locks: []lockJSON{}, Notes: []string{}, Explanation: []string{},
		Classification: of.Classification.String(), Rules: []explainRuleJSON{},
	}
	table := ""
	if op.Table != nil && op.Table.Name != "" {
		table = op.Table.QualifiedName()
	} else if w := of.Worst(); w != nil {
		table = w.Facts.Table
	}
	out.Table = nullable(table)
	for _, q := range op.Queries {
		out.SQL = append(out.SQL, oneLine(q.Display()))
	}
	strongest := locks.None
	lockAt := map[string]int{}
	seenNote := map[string]bool{}
	for _, sf := range of.Stmts {
		f := sf.Facts
		mode := f.Lock(table)
		if f.Table == table && f.Mode > mode {
			mode = f.Mode
		}
		if mode > strongest {
			strongest = mode
		}
		for _, l := range f.Locks {
			rel := l.Relation
			if l.Kind == locks.KindAllIndexes {
				rel = string(l.Kind) + " " + l.Relation
			}
			if i, ok := lockAt[rel]; ok {
				if m, _ := locks.ParseMode(out.Locks[i].Lock); l.Mode > m {
					out.Locks[i].Lock = l.Mode.String()
				}
				out.Locks[i].new = out.Locks[i].new && l.New
				continue
			}
			lockAt[rel] = len(out.Locks)
			out.Locks = append(out.Locks, lockJSON{Relation: rel, Lock: l.Mode.String(), kind: l.Kind, name: l.Relation, new: l.New})
		}
		out.BlocksReads = out.BlocksReads || f.BlocksReads
		out.BlocksWrites = out.BlocksWrites || f.BlocksWrites
		out.Scans = out.Scans || f.Scans
		out.Rewrites = out.Rewrites || f.Rewrites
		if f.Fails != nil && out.Fails == nil {
			why := failureText(f.Fails)
			out.Fails = &why
		}
		for _, n := range f.Notes {
			if !seenNote[n] {
				seenNote[n] = true
				out.Notes = append(out.Notes, n)
			}
		}
		if f.Explanation != "" {
			out.Explanation = append(out.Explanation, f.Explanation)
		}
	}
	if strongest != locks.None {
		out.Lock = nullable(strongest.String())
	}
	return out
}

// failureText renders a failure as psql prints it, with its condition.
func failureText(f *locks.Failure) string {
	s := "ERROR: " + f.Message
	if f.Code != "" {
		s = "ERROR " + f.Code + ": " + f.Message
	}
	if f.Condition != "" {
		s += " (" + f.Condition + ")"
	}
	return s
}

func ruleJSON(m *analysis.Migration, d analysis.Diagnostic) explainRuleJSON {
	return explainRuleJSON{Rule: d.Rule, Severity: d.Severity.String(), Line: m.Lines.Line(d.Start) + 1, Message: d.Message, URL: d.URL}
}

// rollbackOf describes the down direction: its SQL, or why Ecto raises.
func rollbackOf(m *analysis.Migration) rollbackJSON {
	plan := m.Down
	out := rollbackJSON{Source: plan.Source, SQL: []string{}}
	if plan.Irreversible != nil {
		reason := plan.Irreversible.Reason
		out.Irreversible = &reason
		if plan.Irreversible.End > plan.Irreversible.Start {
			out.IrreversibleLine = m.Lines.Line(plan.Irreversible.Start) + 1
		}
		return out
	}
	for _, op := range plan.Ops {
		for _, q := range op.Queries {
			out.SQL = append(out.SQL, oneLine(q.Display()))
		}
	}
	return out
}
