package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/lockwise/lockwise/lsp"
)

const lspUsage = `Usage: lockwise lsp [--log FILE] [--verbose]

Serves the Language Server Protocol on stdin/stdout (for VS Code, Neovim,
Emacs and any LSP client). Logs go to stderr, or to --log.

Flags:
`

func runLSP(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lsp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	logFile := fs.String("log", "", "append the server's logs to this file instead of stderr")
	verbose := fs.Bool("verbose", false, "log every message with its duration")
	fs.Bool("stdio", true, "serve on stdin/stdout (the only transport; accepted for clients that pass it)")
	fs.String("clientProcessId", "", "accepted for clients that pass it (vscode-languageclient adds it for some transports)")
	fs.Usage = func() {
		fmt.Fprint(stderr, lspUsage)
		fs.PrintDefaults()
	}
	if _, code, ok := parseCommand(fs, args); !ok {
		return code
	}
	opts := lsp.Options{Engine: lsp.NewAnalysisEngine(), LogFile: *logFile, Verbose: *verbose, Version: version}
	if *logFile == "" {
		opts.Log = stderr
	}
	if err := lsp.Serve(context.Background(), stdin, stdout, opts); err != nil {
		if errors.Is(err, lsp.ErrExitWithoutShutdown) {
			return 1
		}
		fmt.Fprintf(stderr, "lockwise lsp: %v\n", err)
		return 1
	}
	return 0
}
