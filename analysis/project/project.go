// Package project places a file in its Elixir project, the way both front
// ends (the CLI and the language server) need it: the project root (mix.exs,
// umbrellas), the .lockwise.toml that applies, the repo configuration read
// from config/*.exs, whether the file is a migration of the project, and
// the check.Settings to analyse it with. It also discovers the migrations to
// check from command-line paths.
//
// The package does not import the rule catalog (analysis/rules): rules may
// come to depend on it, so the catalog is passed in (Options.Catalog).
package project

import (
	"os"
	"path/filepath"
	"strings"
)

// skipDirs are directories never searched: dependencies, build output,
// JavaScript packages, version control.
var skipDirs = map[string]bool{"deps": true, "_build": true, "node_modules": true, ".git": true}

// skipDir reports whether a directory met during a search is skipped: the
// ones above, and hidden directories (.elixir_ls holds build output).
func skipDir(name string) bool {
	return skipDirs[name] || strings.HasPrefix(name, ".") && name != "." && name != ".."
}

// sourceFile reports whether a file name can hold a migration: .exs or .ex,
// but not the formatter configuration that sits in migration directories.
func sourceFile(name string) bool {
	if name == ".formatter.exs" {
		return false
	}
	ext := filepath.Ext(name)
	return ext == ".exs" || ext == ".ex"
}

// Root returns the project root of path (a file or a directory): the
// nearest ancestor holding a mix.exs or, when an ancestor is an umbrella
// project, the nearest umbrella (its apps share the umbrella's config/).
// ok is false when no ancestor holds a mix.exs.
func Root(path string) (root string, ok bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	dir := abs
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		dir = filepath.Dir(abs)
	}
	return rootOf(dir)
}

// rootOf is Root for an absolute directory.
func rootOf(dir string) (string, bool) {
	nearest := ""
	for {
		if fileExists(filepath.Join(dir, "mix.exs")) {
			if isUmbrella(dir) {
				return dir, true
			}
			if nearest == "" {
				nearest = dir
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nearest, nearest != ""
		}
		dir = parent
	}
}

// isUmbrella reports whether the mix project in dir is an umbrella: its
// mix.exs sets apps_path, or it has apps/*/mix.exs.
func isUmbrella(dir string) bool {
	src, err := os.ReadFile(filepath.Join(dir, "mix.exs"))
	if err == nil && strings.Contains(string(src), "apps_path") {
		return true
	}
	apps, _ := os.ReadDir(filepath.Join(dir, "apps"))
	for _, a := range apps {
		if a.IsDir() && fileExists(filepath.Join(dir, "apps", a.Name(), "mix.exs")) {
			return true
		}
	}
	return false
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
