package main

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/lockwise/lockwise/analysis/rules"
	"github.com/lockwise/lockwise/docs"
)

const rulesUsage = `Usage: lockwise rules [ID]

Without ID: every rule with its default severity and what it catches.
With ID: the rule's documentation page.
`

func runRules(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, rulesUsage) }
	ids, code, ok := parseCommand(fs, args)
	if !ok {
		return code
	}
	switch len(ids) {
	case 0:
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		for _, a := range rules.All {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Name, a.Severity, a.Doc)
		}
		tw.Flush()
		return 0
	case 1:
	default:
		fs.Usage()
		return 2
	}
	a := rules.ByName(ids[0])
	if a == nil {
		// Codes that are not rules of the catalog but have a page
		// (invalid-suppression) are documented too.
		if page, ok := docs.RulePage(ids[0]); ok {
			stdout.Write(page)
			return 0
		}
		fmt.Fprintf(stderr, "lockwise rules: unknown rule %q (run `lockwise rules` for the list)\n", ids[0])
		return 2
	}
	if page, ok := docs.RulePage(a.Name); ok {
		stdout.Write(page)
		return 0
	}
	// No page yet: what the binary knows.
	fmt.Fprintf(stdout, "# %s\n\nDefault severity: %s\n\n%s\n\n%s\n", a.Name, a.Severity, a.Doc, a.URL())
	return 0
}
