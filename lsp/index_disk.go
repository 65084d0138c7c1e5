package lsp

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/lockwise/lockwise/analysis/config"
	"github.com/lockwise/lockwise/analysis/workspace"
	"go.lsp.dev/protocol"
)

// Keeping the workspace model in step with the disk. Everything here runs
// on the index goroutine.

type fileEvent struct {
	uri  string
	kind protocol.FileChangeType
}

// applyFileEvents updates the model for files changed on disk. A file that
// is open is left alone (its unsaved text is what the model holds) unless
// it was deleted. A rename arrives as a deletion and a creation. A changed
// configuration file rebuilds everything, once per batch.
func (s *server) applyFileEvents(events []fileEvent) {
	reload := ""
	for _, e := range events {
		path, ok := uriToPath(e.uri)
		if !ok || inSkippedDir(path) {
			continue
		}
		if isConfigFile(path) {
			reload = path
			continue
		}
		if s.docs.byPath(path) != nil {
			continue // the editor's text wins while the file is open
		}
		s.syncFromDisk(path, e.kind == protocol.FileChangeTypeDeleted)
	}
	if reload != "" {
		s.reloadConfiguration(reload)
	}
}

// syncFromDisk makes the model hold the disk's version of path (or forget
// it when it is gone): a migration of a repo, or a lib/ file.
func (s *server) syncFromDisk(path string, deleted bool) {
	p := s.index.project(s.projectRootOf(path))
	if p == nil {
		return // not indexed yet: the load will read it
	}
	var src []byte
	var st stamp
	if !deleted {
		var err error
		if src, st, err = readStamped(path); err != nil {
			deleted = true
		}
	}
	switch {
	case isLibFile(p.root, path):
		if deleted {
			p.removeSchemaFile(path)
		} else {
			p.setSchemaFile(path, src)
		}
	case s.isMigrationPath(path):
		if deleted {
			p.removeMigration(path)
		} else {
			p.setMigration(path, src)
		}
	default:
		return
	}
	p.setStamp(path, st)
}

// isMigrationPath reports whether the server treats path as a migration.
func (s *server) isMigrationPath(path string) bool {
	if !workspace.IsMigrationFile(filepath.Base(path)) {
		return false
	}
	_, _, ok := s.classify(string(pathToURI(path)), s.settings.get())
	return ok
}

// isConfigFile: .lockwise.toml, or a config/*.exs of a mix project (read
// for repo options such as migration_lock).
func isConfigFile(path string) bool {
	return filepath.Base(path) == config.FileName ||
		filepath.Ext(path) == ".exs" && filepath.Base(filepath.Dir(path)) == "config"
}

// inSkippedDir reports whether path lies in dependencies, build output or
// a hidden directory: their files are none of the project's.
func inSkippedDir(path string) bool {
	for _, part := range strings.Split(filepath.ToSlash(filepath.Dir(path)), "/") {
		if part != "" && part != "." && part != ".." && skipDir(part) {
			return true
		}
	}
	return false
}

// revertToDisk is called when a document is closed: its unsaved text
// leaves the model, the disk's version (if any) comes back.
func (s *server) revertToDisk(d *document) {
	place := d.placement()
	if d.path == "" || !place.migration && !place.lib {
		return
	}
	s.index.push("revert "+d.path, func(ctx context.Context) {
		if s.docs.byPath(d.path) != nil {
			return // opened again meanwhile
		}
		_, err := os.Stat(d.path)
		s.syncFromDisk(d.path, err != nil)
	})
}

// rescan compares the project's migrations and lib/ files with what was
// read (modification time and size) and syncs those that changed. It is
// the fallback, run on save, for clients that cannot watch files (Neovim
// 0.7): a checkout then shows up at the next save.
func (s *server) rescan(p *projectModel) {
	seen := map[string]bool{}
	sync := func(path string) {
		seen[path] = true
		if s.docs.byPath(path) != nil {
			return
		}
		fi, err := os.Stat(path)
		if err != nil {
			return
		}
		if p.stampOf(path) != (stamp{fi.ModTime(), fi.Size()}) {
			s.syncFromDisk(path, false)
		}
	}
	for _, dir := range s.migrationDirs(p.root) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if !e.IsDir() && workspace.IsMigrationFile(e.Name()) {
				sync(filepath.Join(dir, e.Name()))
			}
		}
	}
	for _, path := range libFiles(p.root) {
		sync(path)
	}
	p.mu.Lock()
	var gone []string
	for path := range p.stamps {
		if !seen[path] {
			gone = append(gone, path)
		}
	}
	p.mu.Unlock()
	for _, path := range gone {
		if s.docs.byPath(path) == nil {
			s.syncFromDisk(path, true)
		}
	}
}
