// Package config reads .lockwise.toml, found upward from a migration file.
// It is the only package that imports a TOML parser.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// FileName is the configuration file lockwise looks for.
const FileName = ".lockwise.toml"

// DefaultMigrations are the migration directory globs used when the
// configuration sets none (relative to the project root).
var DefaultMigrations = []string{"priv/*/migrations", "apps/*/priv/*/migrations"}

// Config is the content of a .lockwise.toml (DESIGN.md "Configuration").
type Config struct {
	// Path is the file it was read from; "" for the defaults.
	Path string
	// PostgresVersion is the major version of the production server.
	PostgresVersion int
	// Migrations are globs of migration directories, relative to the
	// directory of the file (or of the project root for the defaults).
	Migrations []string
	// StartAfter: migrations with a version up to this one are already
	// released and not reported.
	StartAfter string
	// AssumeUTC tells that the session TimeZone is UTC.
	AssumeUTC bool
	// Rules maps rule ids to severities as written ("error", "off"...).
	Rules map[string]string
}

// Default is the configuration when there is no file.
func Default() *Config {
	return &Config{PostgresVersion: 15, Migrations: append([]string(nil), DefaultMigrations...), AssumeUTC: true, Rules: map[string]string{}}
}

// Dir is the directory globs are relative to ("" for the defaults).
func (c *Config) Dir() string {
	if c.Path == "" {
		return ""
	}
	return filepath.Dir(c.Path)
}

// Find returns the nearest .lockwise.toml in dir or its ancestors, or "".
func Find(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Load reads a configuration file. On error the returned Config is the
// default one (with Path set) and the error says what is wrong, with the
// file and line: callers report it once and go on with the defaults.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		c := Default()
		c.Path = path
		return c, fmt.Errorf("%s: %v", path, err)
	}
	return Parse(data, path)
}

// file is the TOML layout.
type file struct {
	PostgresVersion any               `toml:"postgres_version"`
	Migrations      []string          `toml:"migrations"`
	StartAfter      any               `toml:"start_after"`
	AssumeUTC       *bool             `toml:"assume_utc"`
	Rules           map[string]string `toml:"rules"`
}

// Parse reads configuration text; see Load for errors.
func Parse(data []byte, path string) (*Config, error) {
	c := Default()
	c.Path = path
	var f file
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			msg := perr.Message
			if msg == "" {
				msg = strings.TrimPrefix(perr.Error(), "toml: ")
			}
			return c, fmt.Errorf("%s:%d: %s; using the defaults", path, perr.Position.Line, msg)
		}
		return c, fmt.Errorf("%s: %v; using the defaults", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		var keys []string
		for _, k := range und {
			keys = append(keys, k.String())
		}
		sort.Strings(keys)
		return c, fmt.Errorf("%s: unknown setting %s (known: postgres_version, migrations, start_after, assume_utc, [rules]); using the defaults", path, strings.Join(keys, ", "))
	}
	out := Default()
	out.Path = path
	if f.PostgresVersion != nil {
		v, err := intValue(f.PostgresVersion)
		if err != nil || v < 9 || v > 99 {
			return c, fmt.Errorf("%s: postgres_version must be a major version such as 15, not %v; using the defaults", path, f.PostgresVersion)
		}
		out.PostgresVersion = v
	}
	if f.Migrations != nil {
		for _, g := range f.Migrations {
			if _, err := filepath.Match(g, ""); err != nil {
				return c, fmt.Errorf("%s: bad migrations glob %q: %v; using the defaults", path, g, err)
			}
		}
		out.Migrations = f.Migrations
	}
	if f.StartAfter != nil {
		s := fmt.Sprint(f.StartAfter)
		if _, err := strconv.ParseUint(s, 10, 64); err != nil {
			return c, fmt.Errorf("%s: start_after must be a migration version (digits), not %q; using the defaults", path, s)
		}
		out.StartAfter = s
	}
	if f.AssumeUTC != nil {
		out.AssumeUTC = *f.AssumeUTC
	}
	for k, v := range f.Rules {
		out.Rules[k] = strings.ToLower(v)
	}
	return out, nil
}

func intValue(v any) (int, error) {
	switch x := v.(type) {
	case int64:
		return int(x), nil
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return int(f), err
	case float64:
		return int(x), nil
	}
	return 0, fmt.Errorf("not a number")
}
