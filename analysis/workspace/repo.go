package workspace

import (
	"path/filepath"
	"sort"
	"sync"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
	"github.com/lockwise/lockwise/grammar"
)

// migration is what the replay keeps of one file: its up statements (not
// the syntax tree or the model, to keep memory small).
type migration struct {
	path    string
	version string
	module  string
	effects []effect
}

type effect struct {
	stmt   pgsql.Stmt
	origin Origin
}

// Repo is one migrations directory replayed in version order. It is safe
// for concurrent use.
type Repo struct {
	Dir  string
	repo *analysis.RepoConfig

	mu   sync.Mutex
	migs []*migration // sorted by version, then path
	// h holds the versions of every object; replayed is how many of migs
	// it reflects (an edit at position i sets it back to i).
	h        *history
	replayed int
}

// NewRepo starts an empty repo for dir, lowering its DSL with cfg.
func NewRepo(dir string, cfg *analysis.RepoConfig) *Repo {
	if cfg == nil {
		cfg = analysis.DefaultRepoConfig()
	}
	return &Repo{Dir: dir, repo: cfg}
}

// extract computes the effects of one migration file.
func extract(path string, src []byte, cfg *analysis.RepoConfig) *migration {
	return fromModel(analysis.Build(path, grammar.Parse(src), analysis.BuildOptions{Repo: cfg}))
}

// fromModel keeps what the replay needs of a built migration: the
// statements of its up plan, located in the file.
func fromModel(m *analysis.Migration) *migration {
	mg := &migration{path: m.Path, version: m.Version, module: m.Module}
	if m.Module == "" {
		return mg
	}
	for _, op := range m.Up.Ops {
		o := Origin{Path: m.Path, Version: m.Version, Start: op.Start, End: op.End}
		if op.Dynamic && len(op.Queries) == 0 {
			mg.effects = append(mg.effects, effect{stmt: pgsql.Stmt{Dynamic: true, Err: &pgsql.Error{Message: "not known statically"}}, origin: o})
			continue
		}
		for _, q := range op.Queries {
			for _, st := range q.Statements() {
				oo := o
				if q.Source != nil {
					oo.Start, oo.End = st.FileStart, st.FileEnd
				}
				mg.effects = append(mg.effects, effect{stmt: st.Stmt, origin: oo})
			}
		}
	}
	return mg
}

// Append adds the migration that comes after every one the repo holds
// (a batch run feeding migrations in version order) and returns the view
// position just before it; out of order it falls back to SetModel.
func (r *Repo) Append(m *analysis.Migration) int {
	mg := fromModel(m)
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := len(r.migs); n > 0 && !less(r.migs[n-1], mg) {
		r.setLocked(mg)
		return r.position(mg.path)
	}
	r.migs = append(r.migs, mg)
	return len(r.migs) - 1
}

// SetModel adds or replaces a migration from its built model.
func (r *Repo) SetModel(m *analysis.Migration) {
	mg := fromModel(m)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.setLocked(mg)
}

func (r *Repo) position(path string) int {
	for i, m := range r.migs {
		if m.path == path {
			return i
		}
	}
	return len(r.migs)
}

// At is the schema just before the migration at position pos (as Append
// returns it).
func (r *Repo) At(pos int) *State {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replayTo(pos)
	return &State{h: r.h, pos: pos}
}

// Set adds or replaces a migration; only the states after it are recomputed.
func (r *Repo) Set(path string, src []byte) {
	mg := extract(path, src, r.repo)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.setLocked(mg)
}

func (r *Repo) setLocked(mg *migration) {
	r.remove(mg.path)
	i := sort.Search(len(r.migs), func(i int) bool { return less(mg, r.migs[i]) })
	r.migs = append(r.migs, nil)
	copy(r.migs[i+1:], r.migs[i:])
	r.migs[i] = mg
	r.invalidate(i)
}

// SetAll replaces every migration at once (initial indexing), extracting
// them in parallel.
func (r *Repo) SetAll(files map[string][]byte, workers int) {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	migs := make([]*migration, len(paths))
	var wg sync.WaitGroup
	next := make(chan int)
	if workers < 1 {
		workers = 1
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				migs[i] = extract(paths[i], files[paths[i]], r.repo)
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	sort.Slice(migs, func(i, j int) bool { return less(migs[i], migs[j]) })
	r.mu.Lock()
	r.migs = migs
	r.invalidate(0)
	r.mu.Unlock()
}

// Remove drops a migration (a deleted file).
func (r *Repo) Remove(path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.remove(path)
}

func (r *Repo) remove(path string) {
	for i, m := range r.migs {
		if m.path == path {
			r.migs = append(r.migs[:i], r.migs[i+1:]...)
			r.invalidate(i)
			return
		}
	}
}

func (r *Repo) invalidate(i int) {
	if r.h != nil && i < r.replayed {
		r.h.mu.Lock()
		r.h.truncate(i)
		r.h.mu.Unlock()
		r.replayed = i
	}
}

// replay brings the history up to date with every migration.
func (r *Repo) replay() { r.replayTo(len(r.migs)) }

// replayTo replays the migrations before position n.
func (r *Repo) replayTo(n int) {
	if r.h == nil {
		r.h = newHistory()
		r.replayed = 0
	}
	if r.replayed >= n {
		return
	}
	r.h.mu.Lock()
	defer r.h.mu.Unlock()
	for i := r.replayed; i < n; i++ {
		w := &State{h: r.h, pos: i, writing: true}
		for _, e := range r.migs[i].effects {
			w.apply(e.stmt, e.origin)
		}
	}
	r.replayed = n
}

func less(a, b *migration) bool {
	if len(a.version) != len(b.version) {
		return len(a.version) < len(b.version)
	}
	if a.version != b.version {
		return a.version < b.version
	}
	return a.path < b.path
}

// Paths lists the migrations in replay order.
func (r *Repo) Paths() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.migs))
	for i, m := range r.migs {
		out[i] = m.path
	}
	return out
}

// Final is the schema after every migration. It stays valid (it reads
// the history as of the time it was taken) until the repo changes.
func (r *Repo) Final() *State {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replay()
	return &State{h: r.h, pos: len(r.migs)}
}

// Before is the schema just before the migration at path runs (after every
// migration with a smaller version); the whole history when path is not a
// migration of this repo. Like Final, it reads a history that later edits
// of the repo change: take a new one after an edit.
func (r *Repo) Before(path string) *State {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replay()
	n := len(r.migs)
	probe := &migration{path: path, version: versionOf(path)}
	for i, m := range r.migs {
		if m.path == path || less(probe, m) {
			n = i
			break
		}
	}
	return &State{h: r.h, pos: n}
}

func versionOf(path string) string {
	base := filepath.Base(path)
	i := 0
	for i < len(base) && base[i] >= '0' && base[i] <= '9' {
		i++
	}
	return base[:i]
}
