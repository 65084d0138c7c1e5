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
	// cols locates, by column name, the sub-command of a create/alter
	// table that adds or changes each column (`add :email, ...`): finer
	// than the whole command, for "go to definition" of a column.
	cols map[string]Origin
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
		var cols map[string]Origin
		for _, s := range op.Subs {
			if s.Column == "" || s.PrimaryKey || s.Start >= s.End {
				continue
			}
			if cols == nil {
				cols = map[string]Origin{}
			}
			cols[s.Column] = Origin{Path: m.Path, Version: m.Version, Start: s.Start, End: s.End}
		}
		for _, q := range op.Queries {
			for _, st := range q.Statements() {
				oo := o
				if q.Source != nil {
					oo.Start, oo.End = st.FileStart, st.FileEnd
				}
				mg.effects = append(mg.effects, effect{stmt: st.Stmt, origin: oo, cols: cols})
			}
		}
	}
	return mg
}

// identical reports whether two versions of a migration have the same
// effects, places included: nothing replayed from them would differ.
func identical(a, b *migration) bool {
	if a.version != b.version || !sameStatements(a, b) {
		return false
	}
	for i := range a.effects {
		x, y := a.effects[i], b.effects[i]
		if x.origin != y.origin || len(x.cols) != len(y.cols) {
			return false
		}
		for k, o := range x.cols {
			if y.cols[k] != o {
				return false
			}
		}
	}
	return true
}

// sameStatements reports whether two versions of a migration send the
// same statements: then the schema every later migration sees is the same,
// and only the places (origins) may have moved.
func sameStatements(a, b *migration) bool {
	if a == nil || b == nil || len(a.effects) != len(b.effects) {
		return false
	}
	for i := range a.effects {
		x, y := a.effects[i].stmt, b.effects[i].stmt
		if x.Text != y.Text || x.Dynamic != y.Dynamic || (x.Err == nil) != (y.Err == nil) {
			return false
		}
	}
	return true
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

// SetModel adds or replaces a migration from its built model. It reports
// whether the statements changed: when they did not, the schema of every
// later migration is unchanged (only places moved), and nothing built on
// it needs recomputing.
func (r *Repo) SetModel(m *analysis.Migration) (changed bool) {
	mg := fromModel(m)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.setLocked(mg)
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

// Set adds or replaces a migration; only the states after it are
// recomputed. It reports whether the statements changed (see SetModel).
func (r *Repo) Set(path string, src []byte) (changed bool) {
	mg := extract(path, src, r.repo)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.setLocked(mg)
}

func (r *Repo) setLocked(mg *migration) (changed bool) {
	if i := r.position(mg.path); i < len(r.migs) && identical(r.migs[i], mg) {
		// Analysed again without a change (an editor re-analysing an
		// open file): the history stays as it is.
		r.migs[i] = mg
		return false
	}
	old := r.remove(mg.path)
	i := sort.Search(len(r.migs), func(i int) bool { return less(mg, r.migs[i]) })
	r.migs = append(r.migs, nil)
	copy(r.migs[i+1:], r.migs[i:])
	r.migs[i] = mg
	r.invalidate(i)
	return !sameStatements(old, mg)
}

// Has reports whether the repo holds a migration at path.
func (r *Repo) Has(path string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.position(path) < len(r.migs)
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

// Remove drops a migration (a deleted file). It reports whether the repo
// held one that sent statements.
func (r *Repo) Remove(path string) (changed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.remove(path)
	return old != nil && len(old.effects) > 0
}

func (r *Repo) remove(path string) *migration {
	for i, m := range r.migs {
		if m.path == path {
			r.migs = append(r.migs[:i], r.migs[i+1:]...)
			r.invalidate(i)
			return m
		}
	}
	return nil
}

// invalidate drops what the migrations from position i on did. The
// history is forked, not truncated in place: States taken before (a
// document being analysed on another goroutine) keep reading the
// complete, consistent history they were taken from.
func (r *Repo) invalidate(i int) {
	if r.h != nil && i < r.replayed {
		// Replays write r.h only under r.mu, which the caller holds: the
		// history cannot change while it is copied.
		r.h = r.h.fork(i)
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
			w.apply(e.stmt, e.origin, e.cols)
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
	n := len(r.migs)
	probe := &migration{path: path, version: versionOf(path)}
	for i, m := range r.migs {
		if m.path == path || less(probe, m) {
			n = i
			break
		}
	}
	// Only the migrations before it are replayed: editing an early
	// migration of a long history makes the early views cheap again.
	r.replayTo(n)
	return &State{h: r.h, pos: n}
}

// After is the schema just after the migration at path ran; Before(path)
// when the repo holds no migration at path.
func (r *Repo) After(path string) *State {
	r.mu.Lock()
	i := r.position(path)
	r.mu.Unlock()
	if i == len(r.migs) {
		return r.Before(path)
	}
	return r.At(i + 1)
}

// RunsBefore reports whether the migration at path a runs before the one
// at path b (by version, numerically, then by path), as in a repo.
func RunsBefore(a, b string) bool {
	return less(&migration{path: a, version: versionOf(a)}, &migration{path: b, version: versionOf(b)})
}

func versionOf(path string) string {
	base := filepath.Base(path)
	i := 0
	for i < len(base) && base[i] >= '0' && base[i] <= '9' {
		i++
	}
	return base[:i]
}
