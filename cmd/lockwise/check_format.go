package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lockwise/lockwise/analysis"
)

// checkReport is everything `lockwise check` prints.
type checkReport struct {
	FilesChecked int
	// Findings are sorted by path and position.
	Findings []finding
	// Problems are the configuration errors (also printed on stderr).
	Problems []error
	// Errors tells that some path could not be read.
	Errors bool
}

// checkFormats are the --format values.
var checkFormats = map[string]func(io.Writer, checkReport) error{
	"text":   writeText,
	"json":   writeJSON,
	"sarif":  writeSARIF,
	"github": writeGitHub,
	"gcc":    writeGCC,
}

// writeText prints `path:line:col: severity rule-id message`.
func writeText(w io.Writer, r checkReport) error {
	b := bufio.NewWriter(w)
	for _, f := range r.Findings {
		fmt.Fprintf(b, "%s:%d:%d: %s %s %s\n", f.Path, f.Line, f.Col, f.Severity, f.Rule, oneLineText(f.Message))
	}
	return b.Flush()
}

// writeGCC prints the format of GCC diagnostics, which editors and CI
// problem matchers parse: `path:line:col: warning: message [rule-id]`.
func writeGCC(w io.Writer, r checkReport) error {
	b := bufio.NewWriter(w)
	for _, f := range r.Findings {
		fmt.Fprintf(b, "%s:%d:%d: %s: %s [%s]\n", f.Path, f.Line, f.Col, level(f.Severity, "note"), oneLineText(f.Message), f.Rule)
	}
	return b.Flush()
}

// level names error and warning as themselves and the lower severities
// as lower: the formats have no info or hint level ("note" in GCC and
// SARIF, "notice" in GitHub).
func level(s analysis.Severity, lower string) string {
	switch s {
	case analysis.Error:
		return "error"
	case analysis.Warning:
		return "warning"
	}
	return lower
}

// writeGitHub prints GitHub Actions workflow commands, which become
// annotations on the pull request:
// `::warning file=...,line=...,col=...,endLine=...,endColumn=...,title=<rule>::<message>`.
func writeGitHub(w io.Writer, r checkReport) error {
	b := bufio.NewWriter(w)
	for _, f := range r.Findings {
		fmt.Fprintf(b, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n",
			level(f.Severity, "notice"), githubProperty(f.Path), f.Line, f.Col, f.EndLine, f.EndCol,
			githubProperty(f.Rule), githubData(f.Message))
	}
	return b.Flush()
}

// githubData escapes a workflow command's message as the runner expects
// (actions/toolkit, command.ts escapeData): %, CR and LF.
func githubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// githubProperty escapes a property value (escapeProperty): the data
// escapes plus ':' and ',', which separate properties.
func githubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// oneLineText keeps a one-line format one line per finding.
func oneLineText(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\r", "")), " ")
}

// The JSON report, exactly as DESIGN.md "CLI contract" shows it.
type checkJSON struct {
	FilesChecked int              `json:"files_checked"`
	ParseErrors  []parseErrorJSON `json:"parse_errors"`
	Diagnostics  []diagnosticJSON `json:"diagnostics"`
}

type parseErrorJSON struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

type diagnosticJSON struct {
	Path           string  `json:"path"`
	Line           int     `json:"line"`
	Column         int     `json:"column"`
	EndLine        int     `json:"end_line"`
	EndColumn      int     `json:"end_column"`
	Rule           string  `json:"rule"`
	Severity       string  `json:"severity"`
	Message        string  `json:"message"`
	Classification string  `json:"classification"`
	Lock           *string `json:"lock"`
	Table          *string `json:"table"`
}

func writeJSON(w io.Writer, r checkReport) error {
	out := checkJSON{FilesChecked: r.FilesChecked, ParseErrors: []parseErrorJSON{}, Diagnostics: []diagnosticJSON{}}
	for _, f := range r.Findings {
		if f.Syntax {
			out.ParseErrors = append(out.ParseErrors, parseErrorJSON{Path: f.Path, Line: f.Line, Message: f.Message})
			continue
		}
		out.Diagnostics = append(out.Diagnostics, diagnosticJSON{
			Path: f.Path, Line: f.Line, Column: f.Col, EndLine: f.EndLine, EndColumn: f.EndCol,
			Rule: f.Rule, Severity: f.Severity.String(), Message: f.Message, Classification: f.Classification,
			Lock: nullable(f.Lock), Table: nullable(f.Table),
		})
	}
	// One object per line inside the arrays: readable, grep-able, and
	// without the indentation pass over megabytes of messages.
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "{\n  \"files_checked\": %d,\n  \"parse_errors\": ", out.FilesChecked)
	if err := writeJSONArray(b, out.ParseErrors); err != nil {
		return err
	}
	b.WriteString(",\n  \"diagnostics\": ")
	if err := writeJSONArray(b, out.Diagnostics); err != nil {
		return err
	}
	b.WriteString("\n}\n")
	return b.Flush()
}

// writeJSONArray writes items as a JSON array, one compact item per line.
func writeJSONArray[T any](b *bufio.Writer, items []T) error {
	if len(items) == 0 {
		_, err := b.WriteString("[]")
		return err
	}
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	b.WriteString("[\n")
	for i, it := range items {
		line.Reset()
		if err := enc.Encode(it); err != nil {
			return err
		}
		b.WriteString("    ")
		b.Write(bytes.TrimSuffix(line.Bytes(), []byte("\n")))
		if i < len(items)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	_, err := b.WriteString("  ]")
	return err
}

// nullable turns "" (not known) into JSON null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
