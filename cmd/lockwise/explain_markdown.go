package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/lockwise/lockwise/analysis/locks"
)

// writeExplainMarkdown renders the Migration Report as Markdown (readable
// as plain text in a terminal, rendered in pull request comments).
func writeExplainMarkdown(w io.Writer, r explainJSON) {
	b := bufio.NewWriter(w)
	defer b.Flush()
	fmt.Fprintf(b, "# Migration Report: %s\n\n", r.Module)
	fmt.Fprintf(b, "File: `%s`\n\n", r.Path)
	fmt.Fprintf(b, "- Classification: **%s**\n", r.Classification)
	if r.Transaction {
		fmt.Fprintln(b, "- Transaction: yes, one transaction for the whole migration: every lock is held until COMMIT")
	} else {
		fmt.Fprintln(b, "- Transaction: no (`@disable_ddl_transaction true`): each statement commits on its own")
	}
	if r.MigrationLock {
		fmt.Fprintln(b, "- Migration lock: yes")
	} else {
		fmt.Fprintln(b, "- Migration lock: no")
	}
	fmt.Fprintf(b, "- PostgreSQL: %d\n", r.PostgresVersion)

	fmt.Fprintln(b, "\n## Up")
	if len(r.Operations) == 0 {
		fmt.Fprintln(b, "\nNo operation.")
	}
	for i, op := range r.Operations {
		fmt.Fprintf(b, "\n### %d. `%s`", i+1, op.Kind)
		if op.Table != nil {
			fmt.Fprintf(b, " on `%s`", *op.Table)
		}
		fmt.Fprintf(b, " (%s): %s\n\n", lineRange(op.Line, op.EndLine), op.Classification)
		if len(op.SQL) > 0 {
			fmt.Fprintln(b, "```sql")
			for _, q := range op.SQL {
				fmt.Fprintln(b, q+";")
			}
			fmt.Fprintln(b, "```")
			fmt.Fprintln(b)
		}
		for _, l := range op.Locks {
			kind := string(l.kind)
			if kind == "" {
				kind = "relation"
			}
			fmt.Fprintf(b, "- Lock: %s on %s `%s`: %s\n", l.Lock, kind, l.name, lockEffect(l))
		}
		if len(op.Locks) == 0 && len(op.SQL) > 0 {
			fmt.Fprintln(b, "- Lock: none known")
		}
		if len(op.SQL) > 0 {
			fmt.Fprintf(b, "- Scans the table: %s. Rewrites the table: %s.\n", yesNo(op.Scans), yesNo(op.Rewrites))
		}
		if op.Fails != nil {
			fmt.Fprintf(b, "- **Fails**: %s\n", *op.Fails)
		}
		for _, e := range op.Explanation {
			fmt.Fprintf(b, "- In short: %s\n", e)
		}
		for _, n := range op.Notes {
			fmt.Fprintf(b, "- Note: %s\n", n)
		}
		for _, d := range op.Rules {
			writeRuleLine(b, d)
		}
	}

	if len(r.Findings) > 0 {
		fmt.Fprintln(b, "\n## Other findings")
		fmt.Fprintln(b)
		for _, d := range r.Findings {
			writeRuleLine(b, d)
		}
	}

	// The expand-contract splits land here with the language-server work;
	// until then this lists the fixes the diagnostics carry.
	fmt.Fprintln(b, "\n## Proposed steps (expand-contract)")
	fmt.Fprintln(b)
	if len(r.ProposedSteps) == 0 {
		fmt.Fprintln(b, "None.")
	}
	for _, s := range r.ProposedSteps {
		fmt.Fprintf(b, "- Line %d, `%s`: %s", s.Line, s.Rule, s.Title)
		if len(s.NewFiles) > 0 {
			fmt.Fprintf(b, " (creates %s)", strings.Join(quoteAll(s.NewFiles), ", "))
		}
		fmt.Fprintln(b)
	}

	rb := r.Rollback
	fmt.Fprint(b, "\n## Rollback")
	switch rb.Source {
	case "down":
		fmt.Fprint(b, " (`down/0`)")
	case "change":
		fmt.Fprint(b, " (`change/0` reversed by Ecto)")
	}
	fmt.Fprintln(b)
	fmt.Fprintln(b)
	switch {
	case rb.Irreversible != nil:
		fmt.Fprintf(b, "**Irreversible**: %s", *rb.Irreversible)
		if rb.IrreversibleLine > 0 {
			fmt.Fprintf(b, " (line %d)", rb.IrreversibleLine)
		}
		fmt.Fprintln(b, ".")
	case len(rb.SQL) == 0:
		fmt.Fprintln(b, "Sends no SQL.")
	default:
		fmt.Fprintln(b, "```sql")
		for _, q := range rb.SQL {
			fmt.Fprintln(b, q+";")
		}
		fmt.Fprintln(b, "```")
	}

	if len(r.Problems) > 0 {
		fmt.Fprintln(b, "\n## Not analysed")
		fmt.Fprintln(b)
		for _, p := range r.Problems {
			fmt.Fprintf(b, "- Line %d: %s\n", p.Line, p.Message)
		}
	}
}

func writeRuleLine(b *bufio.Writer, d explainRuleJSON) {
	id := "`" + d.Rule + "`"
	if d.URL != "" {
		id = "[" + id + "](" + d.URL + ")"
	}
	fmt.Fprintf(b, "- **%s** %s (line %d): %s\n", d.Severity, id, d.Line, d.Message)
}

// lockEffect says what a lock makes wait.
func lockEffect(l lockJSON) string {
	if l.new {
		return "created in this migration, nobody else uses it yet"
	}
	m, _ := locks.ParseMode(l.Lock)
	switch {
	case m.BlocksReads() && m.BlocksWrites():
		return "blocks reads and writes"
	case m.BlocksWrites():
		return "blocks writes (INSERT, UPDATE, DELETE), reads go on"
	case m.BlocksReads():
		return "blocks reads"
	}
	return "blocks neither reads nor writes"
}

func lineRange(a, b int) string {
	if a == b {
		return fmt.Sprintf("line %d", a)
	}
	return fmt.Sprintf("lines %d-%d", a, b)
}

func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "`" + n + "`"
	}
	return out
}
