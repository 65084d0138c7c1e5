package project

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
)

// Target is a file to check.
type Target struct {
	// Path is the path as the user wrote it (joined with what a directory
	// search found), or relative to the working directory when no path was
	// given: it is what reports print.
	Path string
	// Explicit tells that the user named the file itself. Discovered files
	// are pre-filtered on their text; a named file is always analysed, and
	// a front end says so when it turns out not to hold a migration.
	Explicit bool
}

// ErrNoProject is returned by Discover without paths outside a mix project.
var ErrNoProject = errors.New("not inside a mix project (no mix.exs in this directory or its parents): name the files or directories to check")

// Discover lists the files to check, sorted by path and without
// duplicates:
//   - a file is taken as is (Explicit);
//   - a directory is searched recursively for .exs and .ex files that may
//     hold a migration (see MayHoldMigration), skipping deps/, _build/,
//     node_modules/, hidden directories and .formatter.exs;
//   - no path at all means the migrations of the project around the
//     working directory: the files under the configured migration globs
//     (default priv/*/migrations and apps/*/priv/*/migrations), every repo
//     and every umbrella app.
//
// Paths that cannot be read are reported in errs; the others are still
// listed.
func (l *Loader) Discover(paths []string) (targets []Target, errs []error) {
	seen := map[string]bool{}
	add := func(t Target) {
		key := filepath.Clean(t.Path)
		if abs, err := filepath.Abs(t.Path); err == nil {
			key = abs
		}
		if !seen[key] {
			seen[key] = true
			targets = append(targets, t)
		}
	}
	// Files found by a search, to pre-filter on their text.
	var found []string
	if len(paths) == 0 {
		files, err := l.projectMigrations(".")
		if err != nil {
			return nil, []error{err}
		}
		found = files
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !st.IsDir() {
			add(Target{Path: p, Explicit: true})
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			if d.IsDir() {
				if path != p && skipDir(d.Name()) {
					return filepath.SkipDir
				}
				return nil
			}
			if sourceFile(d.Name()) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	for _, p := range filterParallel(found, MayHoldMigration) {
		add(Target{Path: p})
	}
	sort.Slice(targets, func(i, j int) bool { return targets[i].Path < targets[j].Path })
	return targets, errs
}

// projectMigrations lists the migration files of the project around dir,
// relative to dir: the .exs/.ex files under the migration globs of the
// configuration that applies to each of them (not yet pre-filtered).
func (l *Loader) projectMigrations(dir string) ([]string, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	root, ok := rootOf(absDir)
	if !ok {
		return nil, ErrNoProject
	}
	var out []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable corner of the project is not a migration directory
		}
		if d.IsDir() {
			if path != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !sourceFile(d.Name()) {
			return nil
		}
		l.mu.Lock()
		di := l.dir(filepath.Dir(path))
		l.mu.Unlock()
		if l.matches(di, path) {
			rel, err := filepath.Rel(absDir, path)
			if err != nil {
				rel = path
			}
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("searching %s: %w", root, err)
	}
	return out, nil
}

// filterParallel keeps the paths keep accepts, in order, reading files
// with one goroutine per CPU.
func filterParallel(paths []string, keep func(string) bool) []string {
	ok := make([]bool, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ok[i] = keep(paths[i])
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []string
	for i, p := range paths {
		if ok[i] {
			out = append(out, p)
		}
	}
	return out
}

// migrationWord is in every migration module: `use Ecto.Migration` or a
// project's wrapper (`use MyApp.Migration`).
var migrationWord = []byte("Migration")

// MayHoldMigration is the cheap text pre-filter of directory searches: the
// file mentions "Migration". The exact test (a module that uses
// Ecto.Migration) needs a parse, which analysing the file does anyway;
// parsing twice (grammar.UsesMigration here, then the analysis) would
// double the cost of checking a directory.
func MayHoldMigration(path string) bool {
	src, err := os.ReadFile(path)
	return err == nil && bytes.Contains(src, migrationWord)
}
