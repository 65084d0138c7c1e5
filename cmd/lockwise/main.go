// Command lockwise tells what Ecto migrations do to a production PostgreSQL.
package main

import (
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `lockwise: what your Ecto migrations will do to a production PostgreSQL

Usage:
  lockwise check [--format text|json|sarif|github|gcc] [--fail-on error|warning|info|hint|none]
                 [--pg-version N] [--config FILE] [PATH...]
                                          report what the migrations do to production
  lockwise explain [--format markdown|json] FILE...
                                          the Migration Report: SQL, locks, verdict per operation
  lockwise sql [--direction up|down] [--format text|json] FILE...
                                          the SQL statements Ecto sends
  lockwise rules [ID]                     the rules, or one rule's documentation
  lockwise lsp [--log FILE]               serve the Language Server Protocol on stdio
  lockwise version

Run 'lockwise <command> --help' for the flags of a command.
`

func main() {
	if len(os.Args) > 1 && os.Args[1] == "lsp" {
		// The language server owns stdin and stdout.
		os.Exit(runLSP(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes a subcommand and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "lockwise %s\n", version)
		return 0
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "explain":
		return runExplain(args[1:], stdout, stderr)
	case "sql":
		return runSQL(args[1:], stdout, stderr)
	case "rules":
		return runRules(args[1:], stdout, stderr)
	case "lsp":
		return runLSP(args[1:], os.Stdin, stdout, stderr)
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "lockwise: unknown command %q\n\n%s", args[0], usage)
	return 2
}
