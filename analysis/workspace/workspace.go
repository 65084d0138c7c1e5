package workspace

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/lockwise/lockwise/analysis"
)

// Workspace holds the repos (migration directories) of a project and its
// Ecto schemas. It is safe for concurrent use.
type Workspace struct {
	Root string

	mu      sync.RWMutex
	repos   map[string]*Repo         // by absolute directory
	schemas map[string][]*EctoSchema // by file path
}

// New returns an empty workspace rooted at root.
func New(root string) *Workspace {
	return &Workspace{Root: root, repos: map[string]*Repo{}, schemas: map[string][]*EctoSchema{}}
}

// Load reads every migration of dirs (absolute paths of migration
// directories) and every Ecto schema under the root's lib/ and apps/*/lib/.
// cfg gives the repo configuration of a directory (nil: Ecto's defaults).
func Load(root string, dirs []string, cfg func(dir string) *analysis.RepoConfig) *Workspace {
	w := New(root)
	workers := runtime.GOMAXPROCS(0)
	for _, dir := range dirs {
		var rc *analysis.RepoConfig
		if cfg != nil {
			rc = cfg(dir)
		}
		files := map[string][]byte{}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.IsDir() || !IsMigrationFile(e.Name()) {
				continue
			}
			p := filepath.Join(dir, e.Name())
			if src, err := os.ReadFile(p); err == nil {
				files[p] = src
			}
		}
		r := w.AddRepo(dir, rc)
		r.SetAll(files, workers)
	}
	w.LoadSchemas()
	return w
}

// LoadSchemas reads the Ecto schemas under the root's lib/ and apps/*/lib/.
func (w *Workspace) LoadSchemas() {
	for _, lib := range libDirs(w.Root) {
		filepath.WalkDir(lib, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if n := d.Name(); n == "deps" || n == "_build" || n == "node_modules" || strings.HasPrefix(n, ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(p, ".ex") {
				if src, err := os.ReadFile(p); err == nil {
					w.SetSchemaFile(p, src)
				}
			}
			return nil
		})
	}
}

func libDirs(root string) []string {
	out := []string{filepath.Join(root, "lib")}
	apps, _ := filepath.Glob(filepath.Join(root, "apps", "*", "lib"))
	return append(out, apps...)
}

// IsMigrationFile tells the files of a migrations directory Ecto loads.
func IsMigrationFile(name string) bool {
	return (strings.HasSuffix(name, ".exs") || strings.HasSuffix(name, ".ex")) && name != ".formatter.exs" && !strings.HasPrefix(name, ".")
}

// AddRepo registers a migrations directory.
func (w *Workspace) AddRepo(dir string, cfg *analysis.RepoConfig) *Repo {
	w.mu.Lock()
	defer w.mu.Unlock()
	if r := w.repos[dir]; r != nil {
		return r
	}
	r := NewRepo(dir, cfg)
	w.repos[dir] = r
	return r
}

// DropRepo forgets a migrations directory and the schema history replayed
// for it (lockwise check, once the directory is checked).
func (w *Workspace) DropRepo(dir string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.repos, dir)
}

// RepoOf returns the repo of a migration file, or nil.
func (w *Workspace) RepoOf(path string) *Repo {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.repos[filepath.Dir(path)]
}

// Repos lists the repos by directory.
func (w *Workspace) Repos() []*Repo {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]*Repo, 0, len(w.repos))
	for _, r := range w.repos {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out
}

// SetSchemaFile (re)reads the Ecto schemas of a lib/ file. It reports
// whether what the file declares changed (places included: diagnostics
// point at fields).
func (w *Workspace) SetSchemaFile(path string, src []byte) (changed bool) {
	s := ReadEctoSchemas(path, src)
	w.mu.Lock()
	defer w.mu.Unlock()
	old := w.schemas[path]
	if len(s) == 0 {
		delete(w.schemas, path)
		return len(old) > 0
	}
	w.schemas[path] = s
	return !reflect.DeepEqual(old, s)
}

// RemoveSchemaFile forgets a deleted lib/ file. It reports whether the
// file declared schemas.
func (w *Workspace) RemoveSchemaFile(path string) (changed bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	changed = len(w.schemas[path]) > 0
	delete(w.schemas, path)
	return changed
}

// SchemaCount is the number of Ecto schemas read.
func (w *Workspace) SchemaCount() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	n := 0
	for _, ss := range w.schemas {
		n += len(ss)
	}
	return n
}

// EctoSchemas lists the schemas mapping table (any prefix), by path.
func (w *Workspace) EctoSchemas(table string) []*EctoSchema {
	w.mu.RLock()
	defer w.mu.RUnlock()
	var out []*EctoSchema
	for _, ss := range w.schemas {
		for _, s := range ss {
			if s.Table == table {
				out = append(out, s)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Path < out[j].Path || out[i].Path == out[j].Path && out[i].Start < out[j].Start
	})
	return out
}

// View returns what the workspace knows when the migration at path runs:
// the schema replayed up to it and the Ecto schemas. Tables created by
// migrations after startAfter count as new (not released yet).
func (w *Workspace) View(path, startAfter string) *View {
	if r := w.RepoOf(path); r != nil {
		return w.ViewOf(r.Before(path), startAfter)
	}
	return w.ViewOf(newState(), startAfter)
}

// ViewOf wraps a state of one of the workspace's repos.
func (w *Workspace) ViewOf(s *State, startAfter string) *View {
	return &View{State: s, w: w, startAfter: startAfter}
}

// View is the workspace seen from one migration; it implements
// analysis.Schema.
type View struct {
	State      *State
	w          *Workspace
	startAfter string
}

var _ analysis.Schema = (*View)(nil)

func (v *View) table(schema, table string) *Table { return v.State.Table(schema, table) }

// ColumnType implements locks.Schema.
func (v *View) ColumnType(schema, table, column string) (string, bool) {
	t := v.table(schema, table)
	if t == nil {
		return "", false
	}
	c := t.Column(column)
	if c == nil || c.Type == "" {
		return "", false
	}
	return c.Type, true
}

// HasValidatedNotNullCheck implements locks.Schema.
func (v *View) HasValidatedNotNullCheck(schema, table, column string) bool {
	t := v.table(schema, table)
	if t == nil {
		return false
	}
	for _, c := range t.Constraints {
		if c.Kind == "check" && c.NotNullColumn == column && c.Validated {
			return true
		}
	}
	return false
}

// ColumnIndexes implements locks.Schema.
func (v *View) ColumnIndexes(schema, table, column string) ([]string, bool) {
	t := v.table(schema, table)
	if t == nil || t.Partial || v.touchedByUnknown(t) {
		return nil, false
	}
	var out []string
	for _, ix := range v.State.IndexesOf(t.Schema, t.Name) {
		if contains(ix.Columns, column) {
			out = append(out, ix.Name)
		}
	}
	sort.Strings(out)
	return out, true
}

// touchedByUnknown is conservative: an unparsable statement after the
// table's creation may have added indexes.
func (v *View) touchedByUnknown(t *Table) bool { return v.State.unknownSince(t.seq) }

// IndexTable implements locks.Schema.
func (v *View) IndexTable(schema, index string) (string, bool) {
	ix := v.State.Index(schema, index)
	if ix == nil {
		return "", false
	}
	_, name, _ := strings.Cut(ix.Table, ".")
	return name, true
}

// TableIsNew implements locks.Schema: created by a migration newer than
// start_after, so it holds no production data yet.
func (v *View) TableIsNew(schema, table string) bool {
	if v.startAfter == "" {
		return false
	}
	t := v.table(schema, table)
	return t != nil && t.Origin.Version != "" && lessVersion(v.startAfter, t.Origin.Version)
}

// ForeignKeyTarget implements locks.Schema.
func (v *View) ForeignKeyTarget(schema, table, constraint string) (string, bool) {
	t := v.table(schema, table)
	if t == nil {
		return "", false
	}
	for _, c := range t.Constraints {
		if c.Name == constraint && c.Kind == "foreign key" {
			_, name, _ := strings.Cut(c.References, ".")
			return name, true
		}
	}
	return "", false
}

// SchemaFields implements analysis.Schema.
func (v *View) SchemaFields(table, column string) []analysis.Related {
	var out []analysis.Related
	for _, s := range v.w.EctoSchemas(table) {
		if f := s.Field(column); f != nil {
			out = append(out, analysis.Related{Path: s.Path, Start: f.Start, End: f.End,
				Message: s.Module + " still has field :" + f.Name + " stored in column " + column})
		}
	}
	return out
}

// Schemas implements analysis.Schema.
func (v *View) Schemas(table string) []analysis.Related {
	var out []analysis.Related
	for _, s := range v.w.EctoSchemas(table) {
		out = append(out, analysis.Related{Path: s.Path, Start: s.Start, End: s.End, Message: s.Module + " maps table " + table})
	}
	return out
}

// TableCreatedIn implements analysis.Schema.
func (v *View) TableCreatedIn(table string) (string, int, int, bool) {
	t := v.table("", table)
	if t == nil || t.Origin.Path == "" {
		return "", 0, 0, false
	}
	return t.Origin.Path, t.Origin.Start, t.Origin.End, true
}

func lessVersion(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// SortPaths sorts migration paths in the order Ecto runs them (by version,
// numerically, then by path).
func SortPaths(paths []string) {
	sort.SliceStable(paths, func(i, j int) bool {
		return less(&migration{path: paths[i], version: versionOf(paths[i])}, &migration{path: paths[j], version: versionOf(paths[j])})
	})
}
