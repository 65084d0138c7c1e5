package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// parseFlags parses flags that may come before, between or after the
// positional arguments ("lockwise check examples/shop --format json"), as
// users of linters expect; "--" ends the flags. It returns the positional
// arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// flag stops at the first non-flag, or after a "--" it consumed.
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseCommand parses a command's arguments with parseFlags. When ok is
// false the command ends with code: 0 after --help, 2 on a bad flag (the
// flag package has printed why).
func parseCommand(fs *flag.FlagSet, args []string) (paths []string, code int, ok bool) {
	paths, err := parseFlags(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, 0, false
	case err != nil:
		return nil, 2, false
	}
	return paths, 0, true
}

// settingsFlags are the flags of check and explain that override the
// settings read from .lockwise.toml.
type settingsFlags struct {
	pgVersion  *int
	configFile *string
}

func addSettingsFlags(fs *flag.FlagSet) settingsFlags {
	return settingsFlags{
		pgVersion:  fs.Int("pg-version", 0, "PostgreSQL major version of production (default: postgres_version of .lockwise.toml, else 15)"),
		configFile: fs.String("config", "", "configuration file to use instead of the .lockwise.toml found upward from each file"),
	}
}

// valid reports on stderr, for command cmd, a version that is not a
// PostgreSQL major version or a --config that cannot be read.
func (f settingsFlags) valid(cmd string, stderr io.Writer) bool {
	if v := *f.pgVersion; v != 0 && (v < 9 || v > 99) {
		fmt.Fprintf(stderr, "lockwise %s: --pg-version must be a PostgreSQL major version such as 15, not %d\n", cmd, v)
		return false
	}
	if c := *f.configFile; c != "" {
		if st, err := os.Stat(c); err != nil || st.IsDir() {
			fmt.Fprintf(stderr, "lockwise %s: --config %s: not a readable file\n", cmd, c)
			return false
		}
	}
	return true
}
