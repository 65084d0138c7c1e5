package project

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/analysis/config"
)

// Options tune a Loader.
type Options struct {
	// ConfigFile, when set, is the configuration used for every file
	// instead of the .lockwise.toml found upward from it (--config).
	ConfigFile string
	// PGVersion, when not 0, overrides postgres_version (--pg-version).
	PGVersion int
	// Catalog is the rule catalog: the ids of [rules] are checked against
	// it, and it is passed on in check.Settings so that suppression
	// comments are checked against every rule. nil: ids are not checked.
	Catalog []*analysis.Analyzer
}

// Config is a configuration as it applies to files: the .lockwise.toml
// content (or the defaults) with its rule severities parsed.
type Config struct {
	*config.Config
	// Severities are the [rules] entries.
	Severities map[string]analysis.Severity
	// Err says what is wrong with the file, nil when nothing is: the
	// defaults then apply. A Loader reports each Err once (Problems).
	Err error
}

// File is what the project says about one file.
type File struct {
	// Path is the absolute path of the file.
	Path string
	// Root is the project root (see Root), "" outside a mix project.
	Root string
	// Config is the configuration that applies.
	Config *Config
	// Migration tells that the file lies where the configuration's
	// migration globs point (relative to the configuration's directory or
	// to the project root). It says nothing of the file's content.
	Migration bool
	// Settings are the settings to analyse the file with. They are shared
	// by the files of a directory: do not modify their maps and slices.
	Settings check.Settings
}

// Loader answers File for many files, reading each directory, mix
// project and configuration once. It is safe for concurrent use.
type Loader struct {
	opts Options

	mu       sync.Mutex
	dirs     map[string]*dirInfo                // by absolute directory
	configs  map[string]*Config                 // by configuration path, "" for the defaults
	repos    map[string]*analysis.ProjectConfig // by project root
	problems []error                            // configuration errors, each once
}

// dirInfo is what is shared by the files of one directory: everything
// but the file's own path, computed once (thousands of migrations share a
// handful of directories).
type dirInfo struct {
	root     string
	config   *Config
	settings check.Settings
}

// NewLoader returns a Loader.
func NewLoader(opts Options) *Loader {
	return &Loader{
		opts:    opts,
		dirs:    map[string]*dirInfo{},
		configs: map[string]*Config{},
		repos:   map[string]*analysis.ProjectConfig{},
	}
}

// Problems returns the configuration errors met so far, each once, in the
// order they were met. Front ends show each one once; the defaults were
// used for the files that configuration covers.
func (l *Loader) Problems() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.problems...)
}

// File places path (a file; it need not exist) in its project.
func (l *Loader) File(path string) File {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	l.mu.Lock()
	di := l.dir(filepath.Dir(abs))
	l.mu.Unlock()
	return File{Path: abs, Root: di.root, Config: di.config, Migration: l.matches(di, abs), Settings: di.settings}
}

// matches tells whether abs lies under the migration globs of its
// configuration, relative to the configuration's directory or to the root.
func (l *Loader) matches(di *dirInfo, abs string) bool {
	globs := di.config.Migrations
	var bases []string
	if d := di.config.Dir(); d != "" {
		bases = append(bases, d)
	}
	if di.root != "" {
		bases = append(bases, di.root)
	}
	for _, base := range bases {
		rel, err := filepath.Rel(base, abs)
		if err == nil && MatchMigration(globs, rel) {
			return true
		}
	}
	return false
}

// dir returns the shared facts of an absolute directory. l.mu is held.
func (l *Loader) dir(dir string) *dirInfo {
	if di := l.dirs[dir]; di != nil {
		return di
	}
	di := &dirInfo{}
	di.root, _ = rootOf(dir)
	cfgPath := l.opts.ConfigFile
	if cfgPath == "" {
		cfgPath = config.Find(dir)
	} else if abs, err := filepath.Abs(cfgPath); err == nil {
		cfgPath = abs
	}
	di.config = l.config(cfgPath)
	di.settings = l.settings(dir, di)
	l.dirs[dir] = di
	return di
}

// settings computes the check settings of the files of dir. l.mu is held.
func (l *Loader) settings(dir string, di *dirInfo) check.Settings {
	cfg := di.config
	s := check.DefaultSettings()
	s.PGVersion = cfg.PostgresVersion
	if l.opts.PGVersion != 0 {
		s.PGVersion = l.opts.PGVersion
	}
	s.AssumeUTC = cfg.AssumeUTC
	s.StartAfter = cfg.StartAfter
	s.Severities = cfg.Severities
	s.Catalog = l.opts.Catalog
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if !e.IsDir() {
				s.Siblings = append(s.Siblings, e.Name())
			}
		}
	}
	if di.root != "" {
		// RepoFor matches the migration directory against each repo's priv
		// path ("priv/repo", "priv/other_repo" or the `priv:` option): give
		// it the directory relative to the root, so that an umbrella app's
		// "apps/shop/priv/repo/migrations" ends in the repo's path.
		rel, err := filepath.Rel(di.root, dir)
		if err != nil {
			rel = dir
		}
		s.Repo = l.projectConfig(di.root).RepoFor(filepath.ToSlash(rel))
	}
	return s
}

// config loads a configuration file once ("" gives the defaults) and
// records its error once. l.mu is held.
func (l *Loader) config(path string) *Config {
	if c := l.configs[path]; c != nil {
		return c
	}
	c := &Config{Config: config.Default(), Severities: map[string]analysis.Severity{}}
	if path != "" {
		c.Config, c.Err = config.Load(path)
		if c.Err == nil {
			c.Severities, c.Err = l.severities(c.Config)
			if c.Err != nil {
				// One bad entry discards the whole file, as any other
				// error does: the user sees one message and the defaults.
				c.Config = config.Default()
				c.Config.Path = path
				c.Severities = map[string]analysis.Severity{}
			}
		}
		if c.Err != nil {
			l.problems = append(l.problems, c.Err)
		}
	}
	l.configs[path] = c
	return c
}

// severities parses the [rules] table: every id must name a rule of the
// catalog and every value a severity.
func (l *Loader) severities(c *config.Config) (map[string]analysis.Severity, error) {
	known := map[string]bool{}
	for _, a := range l.opts.Catalog {
		known[a.Name] = true
	}
	out := map[string]analysis.Severity{}
	var bad []string
	ids := make([]string, 0, len(c.Rules))
	for id := range c.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		name := c.Rules[id]
		if l.opts.Catalog != nil && !known[id] {
			bad = append(bad, fmt.Sprintf("unknown rule %q (see `lockwise rules`)", id))
			continue
		}
		sev, ok := analysis.ParseSeverity(name)
		if !ok {
			bad = append(bad, fmt.Sprintf("%s = %q is not a severity (want error, warning, info, hint or off)", id, name))
			continue
		}
		out[id] = sev
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s: [rules]: %s; using the defaults", c.Path, strings.Join(bad, ", "))
	}
	return out, nil
}

// projectConfig reads root/config/*.exs once. l.mu is held.
func (l *Loader) projectConfig(root string) *analysis.ProjectConfig {
	if pc := l.repos[root]; pc != nil {
		return pc
	}
	pc := analysis.ReadProjectConfig(root)
	l.repos[root] = pc
	return pc
}
