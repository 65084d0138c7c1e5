package lsp

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/project"
	"github.com/lockwise/lockwise/analysis/rules"
	"github.com/lockwise/lockwise/analysis/workspace"
	"go.lsp.dev/protocol"
)

// The workspace model in the server (DESIGN.md "Data flow" 6): per project
// (a mix project, the umbrella for its apps, or a workspace folder without
// mix.exs) a workspace.Workspace holding every repo's migrations replayed
// in version order and the Ecto schemas of lib/.
//
// It is built in the background after initialized, reporting $/progress,
// and kept current from three sources:
//   - open migrations: the engine records each analysed version (unsaved
//     text included), see ProjectModel.Record;
//   - open lib/ files: their unsaved text is read for Ecto schemas by the
//     document goroutine;
//   - the disk: workspace/didChangeWatchedFiles, and the text on disk again
//     when a document is closed.
//
// When the statements of a migration change, the open documents after it
// in its repo are re-analysed; when a schema changes, every open migration
// of the project is. Requests never wait for indexing: until a project is
// loaded its documents are analysed against what is known so far, then
// again.
//
// Disk work (loading, file events, configuration reloads) runs in order on
// one goroutine (index.run), so an event never overtakes the load it
// follows.

// index is the set of project models of a connection.
type index struct {
	s *server

	mu       sync.Mutex
	projects map[string]*projectModel // by root
	// loader places files in their project (repo configuration from
	// config/*.exs, .lockwise.toml migration globs). It is replaced, and
	// epoch increased, when one of those files changes.
	loader *project.Loader
	epoch  uint64
	shown  int // how many of loader.Problems() were shown

	jobs  []indexJob
	kick  chan struct{} // capacity 1: wakes run
	start sync.Once
}

type indexJob struct {
	name string
	run  func(ctx context.Context)
}

func newIndex(s *server) *index {
	return &index{s: s, projects: map[string]*projectModel{}, loader: newIndexLoader(), kick: make(chan struct{}, 1)}
}

func newIndexLoader() *project.Loader {
	return project.NewLoader(project.Options{Catalog: rules.All})
}

// push queues disk work; it never blocks.
func (ix *index) push(name string, run func(ctx context.Context)) {
	ix.mu.Lock()
	ix.jobs = append(ix.jobs, indexJob{name, run})
	ix.mu.Unlock()
	select {
	case ix.kick <- struct{}{}:
	default:
	}
}

// launch starts the goroutine running the jobs (once, at initialized).
func (ix *index) launch() {
	ix.start.Do(func() { ix.s.goBackground(ix.run) })
}

func (ix *index) run(ctx context.Context) {
	for {
		ix.mu.Lock()
		if len(ix.jobs) == 0 {
			ix.mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-ix.kick:
				continue
			}
		}
		j := ix.jobs[0]
		ix.jobs = ix.jobs[1:]
		ix.mu.Unlock()
		ix.runJob(ctx, j)
		if ctx.Err() != nil {
			return
		}
	}
}

// runJob runs one job; a panic (a bug reading some file) is logged and
// the model carries on without that job.
func (ix *index) runJob(ctx context.Context, j indexJob) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			ix.s.log.Error("index job panic", "job", j.name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	j.run(ctx)
	ix.s.log.Debug("index job done", "job", j.name, "took", time.Since(start))
}

// state returns the loader and epoch in force.
func (ix *index) state() (*project.Loader, uint64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.loader, ix.epoch
}

// project returns the model of root, or nil.
func (ix *index) project(root string) *projectModel {
	if root == "" {
		return nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.projects[root]
}

// projectFor returns the model of root, creating it (empty) when it is
// new; a new project is loaded from disk in the background. Documents of a
// project no workspace folder holds (a file opened on its own) get one this
// way too.
func (ix *index) projectFor(root string) *projectModel {
	if root == "" {
		return nil
	}
	ix.mu.Lock()
	p := ix.projects[root]
	if p == nil {
		p = newProjectModel(ix, root)
		ix.projects[root] = p
	}
	queue := !p.queued
	p.queued = true
	ix.mu.Unlock()
	if queue {
		ix.push("load "+root, func(ctx context.Context) {
			if !ix.isLoaded(p) { // indexWorkspace may have done it meanwhile
				ix.s.loadProjects(ctx, []*projectModel{p}, nil)
			}
		})
	}
	return p
}

// dropUnder forgets the projects of a removed workspace folder (a
// document still open there loads its project again).
func (ix *index) dropUnder(folder string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for root := range ix.projects {
		if rel, err := filepath.Rel(folder, root); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			delete(ix.projects, root)
		}
	}
}

func (ix *index) isLoaded(p *projectModel) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return p.loaded
}

// projectModel is the ProjectModel of one project root. A reload of the
// configuration replaces it; documents analysed meanwhile hold the old one
// for the rest of their run only.
type projectModel struct {
	ix     *index
	root   string
	ws     *workspace.Workspace
	queued bool // a load of its own was queued (ix.mu)
	loaded bool // it was read from disk (ix.mu)

	mu     sync.Mutex
	stamps map[string]stamp // what was read from disk, by path (rescan)
}

// stamp identifies the version of a file read from disk.
type stamp struct {
	mod  time.Time
	size int64
}

func newProjectModel(ix *index, root string) *projectModel {
	return &projectModel{ix: ix, root: root, ws: workspace.New(root), stamps: map[string]stamp{}}
}

var _ ProjectModel = (*projectModel)(nil)

func (p *projectModel) View(path, startAfter string) *workspace.View {
	return p.ws.View(path, startAfter)
}

func (p *projectModel) EctoSchemas(table string) []*workspace.EctoSchema {
	return p.ws.EctoSchemas(table)
}

// Record implements ProjectModel: the migration becomes the repo's
// version of its file; when its statements changed, the open documents
// after it are re-analysed.
func (p *projectModel) Record(m *analysis.Migration) {
	if m == nil || m.Path == "" || m.Module == "" {
		return
	}
	if p.repoFor(m.Path).SetModel(m) {
		p.ix.s.migrationChanged(m.Path)
	}
}

// repoFor returns the repo of the migration at path, adding its directory
// as a repo when it is new (a first migration in a new directory).
func (p *projectModel) repoFor(path string) *workspace.Repo {
	if r := p.ws.RepoOf(path); r != nil {
		return r
	}
	dir := filepath.Dir(path)
	loader, _ := p.ix.state()
	return p.ws.AddRepo(dir, loader.File(filepath.Join(dir, "x.exs")).Settings.Repo)
}

// setMigration records the text of a migration file (from disk, or a
// closed document's) and re-analyses what follows it when needed.
func (p *projectModel) setMigration(path string, src []byte) {
	if p.repoFor(path).Set(path, src) {
		p.ix.s.migrationChanged(path)
	}
}

// removeMigration forgets a deleted migration file.
func (p *projectModel) removeMigration(path string) {
	if r := p.ws.RepoOf(path); r != nil && r.Remove(path) {
		p.ix.s.migrationChanged(path)
	}
}

// setSchemaFile records the text of a lib/ file; when the schemas it
// declares changed, every open migration of the project is re-analysed.
func (p *projectModel) setSchemaFile(path string, src []byte) {
	if p.ws.SetSchemaFile(path, src) {
		p.ix.s.schemasChanged(p)
	}
}

func (p *projectModel) removeSchemaFile(path string) {
	if p.ws.RemoveSchemaFile(path) {
		p.ix.s.schemasChanged(p)
	}
}

// isLibFile reports whether path is an Elixir source file under a lib/
// directory of the project at root (or of an umbrella app).
func isLibFile(root, path string) bool {
	if root == "" || filepath.Ext(path) != ".ex" {
		return false
	}
	rel, err := filepath.Rel(root, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	return parts[0] == "lib" || len(parts) > 3 && parts[0] == "apps" && parts[2] == "lib"
}

// migrationChanged re-analyses the open migrations that run after path in
// its repo (its directory): the schema they see changed.
func (s *server) migrationChanged(path string) {
	dir := filepath.Dir(path)
	for _, d := range s.docs.all() {
		if d.isMigration() && filepath.Dir(d.path) == dir && workspace.RunsBefore(path, d.path) {
			d.outdate()
		}
	}
}

// schemasChanged re-analyses every open migration of the project.
func (s *server) schemasChanged(p *projectModel) {
	for _, d := range s.docs.all() {
		if d.isMigration() && d.projectRoot() == p.root {
			d.outdate()
		}
	}
}

// indexWorkspace (re)builds the model of every workspace folder: it finds
// the projects and their migration directories, loads them with progress,
// and re-analyses the open documents. Projects already loaded in the
// current configuration epoch are kept.
func (s *server) indexWorkspace() {
	s.index.push("index workspace folders", func(ctx context.Context) {
		prog := s.beginProgress(ctx, "lockwise: indexing migrations")
		var all, todo []*projectModel
		for _, folder := range s.life.workspaceRoots() {
			for _, root := range s.findProjects(folder) {
				s.index.mu.Lock()
				p := s.index.projects[root]
				if p == nil {
					p = newProjectModel(s.index, root)
					s.index.projects[root] = p
				}
				loaded := p.loaded
				s.index.mu.Unlock()
				if !slices.Contains(all, p) {
					all = append(all, p)
					if !loaded {
						todo = append(todo, p)
					}
				}
			}
		}
		s.loadProjects(ctx, todo, prog)
		prog.end(ctx, s.indexSummary(all))
	})
}

func (s *server) indexSummary(ps []*projectModel) string {
	repos, migs, schemas := 0, 0, 0
	for _, p := range ps {
		for _, r := range p.ws.Repos() {
			repos++
			migs += len(r.Paths())
		}
		schemas += p.ws.SchemaCount()
	}
	return fmt.Sprintf("%d migrations in %d repos, %d Ecto schemas", migs, repos, schemas)
}

// findProjects lists the project roots under a workspace folder: the
// roots of the directories holding migrations (a mix project, its
// umbrella, or the folder itself), plus the folder's own mix project.
func (s *server) findProjects(folder string) []string {
	var roots []string
	add := func(r string) {
		if !slices.Contains(roots, r) {
			roots = append(roots, r)
		}
	}
	if r, ok := project.Root(folder); ok {
		add(r)
	}
	for _, dir := range s.migrationDirs(folder) {
		add(s.projectRootOf(filepath.Join(dir, "x.exs")))
	}
	sort.Strings(roots)
	return roots
}

// migrationDirs walks root for the directories holding files the server
// treats as migrations (see classify), skipping dependencies, build output
// and hidden directories. A directory is judged by its first source file:
// migration globs name directories (file globs such as "db/**/*.exs" also
// match any file of a directory).
func (s *server) migrationDirs(root string) []string {
	st := s.settings.get()
	var dirs []string
	judged := map[string]bool{}
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		dir := filepath.Dir(p)
		if !workspace.IsMigrationFile(d.Name()) || judged[dir] {
			return nil
		}
		judged[dir] = true
		if _, _, ok := s.classify(string(pathToURI(p)), st); ok {
			dirs = append(dirs, dir)
		}
		return nil
	})
	return dirs
}

// skipDir: dependencies, build output, JavaScript packages and hidden
// directories hold no migration of the project.
func skipDir(name string) bool {
	switch name {
	case "deps", "_build", "node_modules", "cover", "doc":
		return true
	}
	return strings.HasPrefix(name, ".")
}

// loadProjects reads the migrations and Ecto schemas of projects from
// disk, reporting progress per repo, then re-analyses their open
// documents (which re-record their unsaved text over what was read).
func (s *server) loadProjects(ctx context.Context, ps []*projectModel, prog *progress) {
	total := 0
	dirsOf := make([][]string, len(ps))
	for i, p := range ps {
		dirsOf[i] = s.migrationDirs(p.root)
		total += len(dirsOf[i])
	}
	done := 0
	loader, _ := s.index.state()
	defer s.reportConfigProblems(loader)
	for i, p := range ps {
		for _, dir := range dirsOf[i] {
			if ctx.Err() != nil {
				return
			}
			files := p.readMigrations(dir)
			r := p.ws.AddRepo(dir, loader.File(filepath.Join(dir, "x.exs")).Settings.Repo)
			r.SetAll(files, runtime.GOMAXPROCS(0))
			done++
			rel, err := filepath.Rel(p.root, dir)
			if err != nil {
				rel = dir
			}
			prog.report(ctx, fmt.Sprintf("%s: %d migrations", filepath.ToSlash(rel), len(files)), done, total)
		}
		for _, path := range libFiles(p.root) {
			if src, st, err := readStamped(path); err == nil {
				p.ws.SetSchemaFile(path, src)
				p.setStamp(path, st)
			}
		}
		s.index.mu.Lock()
		p.loaded = true
		s.index.mu.Unlock()
		s.log.Info("project indexed", "root", p.root, "repos", len(dirsOf[i]))
		for _, d := range s.docs.all() {
			if d.projectRoot() == p.root {
				d.outdate()
			}
		}
	}
}

// libFiles lists the Elixir sources under the project's lib/ and its
// umbrella apps' lib/ (where Ecto schemas live).
func libFiles(root string) []string {
	var out []string
	libs := []string{filepath.Join(root, "lib")}
	apps, _ := filepath.Glob(filepath.Join(root, "apps", "*", "lib"))
	for _, lib := range append(libs, apps...) {
		_ = filepath.WalkDir(lib, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return nil
			case d.IsDir() && path != lib && skipDir(d.Name()):
				return filepath.SkipDir
			case !d.IsDir() && filepath.Ext(path) == ".ex":
				out = append(out, path)
			}
			return nil
		})
	}
	return out
}

// reportConfigProblems shows each broken configuration file once (a
// .lockwise.toml that does not parse, an unknown rule): the defaults are
// used for the files it covers (DESIGN.md "Configuration").
func (s *server) reportConfigProblems(loader *project.Loader) {
	problems := loader.Problems()
	s.index.mu.Lock()
	if loader != s.index.loader || s.index.shown >= len(problems) {
		s.index.mu.Unlock()
		return
	}
	fresh := problems[s.index.shown:]
	s.index.shown = len(problems)
	s.index.mu.Unlock()
	for _, err := range fresh {
		s.log.Warn("configuration", "problem", err)
		s.showMessage(protocol.MessageTypeWarning, "lockwise: "+err.Error())
	}
}

// readMigrations reads the migration files of a directory, noting their
// stamps.
func (p *projectModel) readMigrations(dir string) map[string][]byte {
	files := map[string][]byte{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() || !workspace.IsMigrationFile(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if src, st, err := readStamped(path); err == nil {
			files[path] = src
			p.setStamp(path, st)
		}
	}
	return files
}

func (p *projectModel) setStamp(path string, st stamp) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st == (stamp{}) {
		delete(p.stamps, path)
	} else {
		p.stamps[path] = st
	}
}

func (p *projectModel) stampOf(path string) stamp {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stamps[path]
}

// readStamped reads a source file the model needs, refusing huge ones.
func readStamped(path string) ([]byte, stamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, stamp{}, err
	}
	if fi.IsDir() || fi.Size() > maxRelatedFile {
		return nil, stamp{}, errors.New("not a readable source file")
	}
	src, err := os.ReadFile(path)
	return src, stamp{fi.ModTime(), fi.Size()}, err
}

// reloadConfiguration starts over after a .lockwise.toml or config/*.exs
// changed: settings, repo configurations (how the DSL lowers) and
// migration globs may all differ, so every project is rebuilt and every
// open document re-classified and re-analysed.
func (s *server) reloadConfiguration(why string) {
	s.index.push("reload configuration", func(ctx context.Context) {
		s.log.Info("configuration changed: re-indexing", "file", why)
		s.index.mu.Lock()
		s.index.loader = newIndexLoader()
		s.index.epoch++
		s.index.shown = 0
		s.index.projects = map[string]*projectModel{}
		s.index.mu.Unlock()
		s.reclassifyAll()
	})
	s.indexWorkspace()
}
