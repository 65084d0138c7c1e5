package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"sync"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/analysis/config"
	"github.com/lockwise/lockwise/analysis/project"
	"github.com/lockwise/lockwise/analysis/rules"
	"github.com/lockwise/lockwise/analysis/workspace"
	"github.com/lockwise/lockwise/grammar"
)

const checkUsage = `Usage: lockwise check [--format text|json|sarif|github|gcc] [--fail-on error|warning|info|hint|none]
                      [--pg-version N] [--config FILE] [PATH...]

Reports what the migrations will do to production. A directory is searched
recursively for .exs and .ex files whose module uses Ecto.Migration (deps/,
_build/, node_modules/ and hidden directories are skipped); a file named on
the command line is always analysed, and skipped with a note on stderr when
it holds no migration. Without PATH: the migrations of the mix project
around the working directory (every repo, every umbrella app).

Exit status: 0 when nothing at or above --fail-on was found, 1 when
something was, 2 on usage or I/O errors. A syntax error counts as an error.

Flags:
`

// syntaxRule is the rule id syntax errors are reported under.
const syntaxRule = "syntax-error"

// finding is one diagnostic, or one syntax error, in CLI coordinates.
type finding struct {
	Path string
	span
	Rule           string
	Severity       analysis.Severity
	Message        string
	Classification string
	Lock, Table    string
	URL            string
	Fixes          []fixOut
	// Syntax marks a syntax error (JSON lists them under parse_errors).
	Syntax bool
}

// fixOut is a fix that only edits the analysed file, in CLI coordinates.
type fixOut struct {
	Title string
	Edits []editOut
}

type editOut struct {
	span
	NewText string
}

// fileResult is what checking one file gives; the migration model is not
// kept, so that checking thousands of files holds little memory.
type fileResult struct {
	Path         string
	Err          error
	NotMigration bool
	Findings     []finding
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text, json, sarif, github or gcc")
	failOn := fs.String("fail-on", "warning", "lowest severity that makes the exit status 1: error, warning, info, hint or none")
	settings := addSettingsFlags(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, checkUsage)
		fs.PrintDefaults()
	}
	paths, code, ok := parseCommand(fs, args)
	if !ok {
		return code
	}
	write, ok := checkFormats[*format]
	if !ok {
		fmt.Fprintf(stderr, "lockwise check: --format must be text, json, sarif, github or gcc, not %q\n", *format)
		return 2
	}
	threshold, ok := parseFailOn(*failOn)
	if !ok {
		fmt.Fprintf(stderr, "lockwise check: --fail-on must be error, warning, info, hint or none, not %q\n", *failOn)
		return 2
	}
	if !settings.valid("check", stderr) {
		return 2
	}

	// Checking thousands of files makes garbage fast while the live heap
	// stays small: the collector runs when the heap nears a soft limit of
	// 64 MiB rather than each time it doubles (unless the user set GOGC or
	// GOMEMLIMIT). That keeps the peak of a 5,000-migration check under
	// 100 MB with fewer collections (4,000 files: 0.96 -> 0.92 s). It is
	// soft: a bigger live heap still fits.
	if os.Getenv("GOMEMLIMIT") == "" && os.Getenv("GOGC") == "" {
		// Restored on return, for callers in the same process (tests).
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(64 << 20))
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
	}

	loader := project.NewLoader(project.Options{ConfigFile: *settings.configFile, PGVersion: *settings.pgVersion, Catalog: rules.All})
	targets, errs := loader.Discover(paths)
	code = 0
	for _, err := range errs {
		fmt.Fprintf(stderr, "lockwise check: %v\n", err)
		code = 2
	}
	if len(paths) == 0 && len(targets) == 0 && len(errs) == 0 {
		// Checking nothing must not look like a clean bill of health.
		root, _ := project.Root(".")
		fmt.Fprintf(stderr, "lockwise check: no migration found under the migration directories of %s (set `migrations` in %s, or name the files or directories to check)\n", root, config.FileName)
	}
	results := checkAll(loader, targets)

	// Each broken configuration once, before the report: the defaults were used.
	for _, err := range loader.Problems() {
		fmt.Fprintf(stderr, "lockwise: %v\n", err)
	}
	var findings []finding
	checked := 0
	for i, r := range results {
		switch {
		case r.Err != nil:
			fmt.Fprintf(stderr, "lockwise check: %v\n", r.Err)
			code = 2
		case r.NotMigration:
			if targets[i].Explicit {
				fmt.Fprintf(stderr, "lockwise check: %s: not an Ecto migration (no module uses Ecto.Migration); skipped\n", r.Path)
			}
		default:
			checked++
			findings = append(findings, r.Findings...)
		}
	}
	sortFindings(findings)
	if err := write(stdout, checkReport{FilesChecked: checked, Findings: findings, Problems: loader.Problems(), Errors: code == 2}); err != nil {
		fmt.Fprintf(stderr, "lockwise check: %v\n", err)
		return 2
	}
	if code == 0 && failing(findings, threshold) {
		code = 1
	}
	return code
}

// checkAll analyses the targets. Each migrations directory is replayed in
// version order into the workspace schema, so that every file is judged on
// what the migrations before it did (old column types, validated checks,
// indexes) and on the Ecto schemas of lib/: files are parsed and built in
// parallel, fed to the replay in order, and their rules run in parallel on
// the view just before them. Results are in the order of targets.
func checkAll(loader *project.Loader, targets []project.Target) []fileResult {
	results := make([]fileResult, len(targets))
	byDir := map[string][]int{}
	var dirs []string
	for i, t := range targets {
		d := filepath.Dir(t.Path)
		if _, ok := byDir[d]; !ok {
			dirs = append(dirs, d)
		}
		byDir[d] = append(byDir[d], i)
	}
	sort.Strings(dirs)
	spaces := map[string]*workspace.Workspace{}
	for _, dir := range dirs {
		f := loader.File(filepath.Join(dir, "x.exs"))
		ws := spaces[f.Root]
		if ws == nil {
			ws = workspace.New(f.Root)
			if f.Root != "" {
				ws.LoadSchemas()
			}
			spaces[f.Root] = ws
		}
		checkDir(loader, ws, dir, targets, byDir[dir], results)
		// Its schema history serves no other directory: keep the peak low.
		ws.DropRepo(dir)
	}
	return results
}

// built is one migration file parsed and modelled.
type built struct {
	path   string
	err    error
	file   *grammar.File
	model  *analysis.Migration
	target int // index in targets, -1 when the file is only replayed
}

// checkDir replays every migration of dir and checks the targets among them.
func checkDir(loader *project.Loader, ws *workspace.Workspace, dir string, targets []project.Target, idx []int, results []fileResult) {
	// Every migration of the directory counts for the replay, named or not.
	target := map[string]int{}
	for _, i := range idx {
		target[targets[i].Path] = i
	}
	var paths []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if _, ok := target[p]; ok || !e.IsDir() && workspace.IsMigrationFile(e.Name()) && project.MayHoldMigration(p) {
			paths = append(paths, p)
		}
	}
	for p := range target {
		if !containsPath(paths, p) {
			paths = append(paths, p) // named but unreadable as a directory entry: report its error
		}
	}
	workspace.SortPaths(paths)

	settings := loader.File(filepath.Join(dir, "x.exs")).Settings
	repo := ws.AddRepo(dir, settings.Repo)
	workers := runtime.GOMAXPROCS(0)
	// At most window files are in memory between parsing and reporting.
	window := make(chan struct{}, 4*workers+8)
	slots := make([]chan *built, len(paths))
	for i := range slots {
		slots[i] = make(chan *built, 1)
	}
	jobs := make(chan int)
	go func() {
		for i := range paths {
			window <- struct{}{}
			jobs <- i
		}
		close(jobs)
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				slots[i] <- buildFile(paths[i], settings.Repo, target)
			}
		}()
	}
	// The replay is sequential; the rules of each file run on a worker.
	rulesJobs := make(chan func())
	var rw sync.WaitGroup
	for w := 0; w < workers; w++ {
		rw.Add(1)
		go func() {
			defer rw.Done()
			for job := range rulesJobs {
				job()
			}
		}()
	}
	for i := range paths {
		b := <-slots[i]
		if b.err != nil || b.model.Module == "" {
			if b.target >= 0 {
				results[b.target] = fileResult{Path: b.path, Err: b.err, NotMigration: b.err == nil}
			}
			<-window
			continue
		}
		pos := repo.Append(b.model)
		if b.target < 0 {
			<-window
			continue
		}
		fs := loader.File(b.path).Settings
		fs.Siblings = nil // see checkFile
		view := ws.ViewOf(repo.At(pos), fs.StartAfter)
		fs.Schema = view
		rulesJobs <- func() {
			results[b.target] = report(b, check.RunModel(b.model, fs, rules.All))
			<-window
		}
	}
	close(rulesJobs)
	rw.Wait()
	wg.Wait()
}

func containsPath(ps []string, p string) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// buildFile reads, parses and models one file.
func buildFile(path string, repo *analysis.RepoConfig, target map[string]int) *built {
	b := &built{path: path, target: -1}
	if i, ok := target[path]; ok {
		b.target = i
	}
	src, err := os.ReadFile(path)
	if err != nil {
		b.err = err
		return b
	}
	b.file = grammar.Parse(src)
	b.model = analysis.Build(path, b.file, analysis.BuildOptions{Repo: repo})
	return b
}

// report turns a check result into findings.
func report(b *built, res *check.Result) fileResult {
	out := fileResult{Path: b.path}
	if res.Skipped {
		return out // released before start_after: not reported
	}
	m := res.Migration
	for _, r := range syntaxErrors(b.file) {
		out.Findings = append(out.Findings, finding{
			Path: b.path, span: spanOf(m.Lines, r.Start, r.End), Rule: syntaxRule, Severity: analysis.Error,
			Message: "syntax error: this part of the file does not parse as Elixir; the analysis around it is partial",
			Syntax:  true, Classification: analysis.Unknown.String(),
		})
	}
	for _, d := range res.Diagnostics {
		out.Findings = append(out.Findings, findingOf(b.path, m, d))
	}
	return out
}

// syntaxErrors returns the error regions of a parse, one per line.
func syntaxErrors(f *grammar.File) []grammar.Range {
	var out []grammar.Range
	lines := grammar.NewLines(f.Src)
	last := -1
	for _, r := range f.Errors {
		if l := lines.Line(r.Start); l != last {
			out = append(out, r)
			last = l
		}
	}
	return out
}

// findingOf converts a diagnostic into CLI coordinates.
func findingOf(path string, m *analysis.Migration, d analysis.Diagnostic) finding {
	f := finding{
		Path: path, span: spanOf(m.Lines, d.Start, d.End), Rule: d.Rule, Severity: d.Severity,
		Message: d.Message, Classification: d.Classification.String(), Lock: d.Lock, Table: d.Table, URL: d.URL,
	}
	for _, fx := range d.Fixes {
		// Fixes that create migration files have no place in a one-file
		// report format (SARIF replacements edit existing artifacts).
		if len(fx.NewFiles) > 0 || len(fx.Edits) == 0 {
			continue
		}
		fo := fixOut{Title: fx.Title}
		for _, e := range fx.Edits {
			fo.Edits = append(fo.Edits, editOut{span: spanOf(m.Lines, e.Start, e.End), NewText: e.NewText})
		}
		f.Fixes = append(f.Fixes, fo)
	}
	return f
}

func sortFindings(fs []finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		switch {
		case a.Path != b.Path:
			return a.Path < b.Path
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Col != b.Col:
			return a.Col < b.Col
		case a.Rule != b.Rule:
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

// parseFailOn reads --fail-on; "none" is Off, below every severity.
func parseFailOn(s string) (analysis.Severity, bool) {
	if s == "none" {
		return analysis.Off, true
	}
	sev, ok := analysis.ParseSeverity(s)
	return sev, ok && sev != analysis.Off
}

// failing reports whether a finding reaches the --fail-on threshold.
func failing(fs []finding, threshold analysis.Severity) bool {
	if threshold == analysis.Off {
		return false
	}
	for _, f := range fs {
		if f.Severity >= threshold {
			return true
		}
	}
	return false
}
