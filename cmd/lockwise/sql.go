package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/grammar"
)

func runSQL(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sql", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("direction", "up", "up or down")
	format := fs.String("format", "text", "text or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: lockwise sql [--direction up|down] [--format text|json] FILE...")
		fmt.Fprintln(stderr, "Prints the SQL statements Ecto sends for each migration, in order.")
		fs.PrintDefaults()
	}
	files, code, ok := parseCommand(fs, args)
	if !ok {
		return code
	}
	if *dir != "up" && *dir != "down" {
		fmt.Fprintf(stderr, "lockwise sql: --direction must be up or down, not %q\n", *dir)
		return 2
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "lockwise sql: --format must be text or json, not %q\n", *format)
		return 2
	}
	if len(files) == 0 {
		fs.Usage()
		return 2
	}
	var reports []sqlFileJSON
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "lockwise sql: %v\n", err)
			code = 2
			continue
		}
		m := analysis.Build(path, grammar.Parse(src), analysis.BuildOptions{})
		if m.Module == "" {
			fmt.Fprintf(stderr, "lockwise sql: %s is not an Ecto migration (no module uses Ecto.Migration)\n", path)
			code = 2
			continue
		}
		plan := m.Up
		if *dir == "down" {
			plan = m.Down
		}
		if *format == "json" {
			reports = append(reports, sqlJSON(m, plan, *dir))
		} else {
			if len(files) > 1 {
				fmt.Fprintf(stdout, "-- %s\n", path)
			}
			for _, op := range plan.Ops {
				for _, q := range op.Queries {
					fmt.Fprintln(stdout, oneLine(q.Display())+";")
				}
			}
		}
		if plan.Irreversible != nil {
			where := ""
			if plan.Irreversible.Start > 0 || plan.Irreversible.End > 0 {
				line, _ := m.Lines.Position(plan.Irreversible.Start)
				where = fmt.Sprintf(":%d", line+1)
			}
			fmt.Fprintf(stderr, "lockwise sql: %s%s: %s cannot run: %s\n", path, where, *dir, plan.Irreversible.Reason)
			if code == 0 {
				code = 1
			}
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if len(files) == 1 && len(reports) == 1 {
			_ = enc.Encode(reports[0])
		} else {
			_ = enc.Encode(reports)
		}
	}
	return code
}

var spaceRun = regexp.MustCompile(`\s+`)

// oneLine collapses whitespace runs and drops a trailing semicolon.
func oneLine(sql string) string {
	s := strings.TrimSpace(spaceRun.ReplaceAllString(sql, " "))
	return strings.TrimSpace(strings.TrimSuffix(s, ";"))
}

type sqlFileJSON struct {
	Path         string         `json:"path"`
	Module       string         `json:"module"`
	Direction    string         `json:"direction"`
	Transaction  bool           `json:"transaction"`
	Irreversible *string        `json:"irreversible"`
	Operations   []sqlOperation `json:"operations"`
}

type sqlOperation struct {
	Kind       string   `json:"kind"`
	Line       int      `json:"line"`
	EndLine    int      `json:"end_line"`
	Table      *string  `json:"table"`
	Statements []string `json:"statements"`
	Dynamic    bool     `json:"dynamic"`
	Reasons    []string `json:"reasons,omitempty"`
}

func sqlJSON(m *analysis.Migration, plan analysis.Plan, dir string) sqlFileJSON {
	out := sqlFileJSON{Path: m.Path, Module: m.Module, Direction: dir, Transaction: m.Transaction, Operations: []sqlOperation{}}
	if plan.Irreversible != nil {
		out.Irreversible = &plan.Irreversible.Reason
	}
	for _, op := range plan.Ops {
		o := sqlOperation{Kind: op.Kind.String(), Dynamic: op.Dynamic, Statements: []string{}, Reasons: op.Reasons}
		o.Line = m.Lines.Line(op.Start) + 1
		o.EndLine = m.Lines.Line(op.End) + 1
		if op.Table != nil && op.Table.Name != "" {
			t := op.Table.QualifiedName()
			o.Table = &t
		}
		for _, q := range op.Queries {
			o.Statements = append(o.Statements, oneLine(q.Display()))
		}
		out.Operations = append(out.Operations, o)
	}
	return out
}
