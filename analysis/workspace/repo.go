package workspace

import (
	"path/filepath"
	"sort"
	"sync"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
	"github.com/lockwise/lockwise/grammar"
)

// checkpointEvery is how many migrations separate the saved states: a
// query replays at most that many migrations from the nearest checkpoint.
const checkpointEvery = 128

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
	// checkpoints[n] is the state before migs[n], for some multiples n of
	// checkpointEvery: made lazily, one per query at most, dropped from the
	// edited migration on.
	checkpoints map[int]*State
	final       *State
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
	m := analysis.Build(path, grammar.Parse(src), analysis.BuildOptions{Repo: cfg})
	mg := &migration{path: path, version: m.Version, module: m.Module}
	if m.Module == "" {
		return mg
	}
	for _, op := range m.Up.Ops {
		o := Origin{Path: path, Version: m.Version, Start: op.Start, End: op.End}
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

// Set adds or replaces a migration; only the states after it are recomputed.
func (r *Repo) Set(path string, src []byte) {
	mg := extract(path, src, r.repo)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.remove(path)
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
	r.final = nil
	for n := range r.checkpoints {
		if n > i {
			delete(r.checkpoints, n)
		}
	}
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

// Final is the schema after every migration. The returned state must not
// be modified.
func (r *Repo) Final() *State {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.final == nil {
		r.final = r.stateBefore(len(r.migs))
	}
	return r.final
}

// Before is the schema just before the migration at path runs (after every
// migration with a smaller version); the whole history when path is not a
// migration of this repo.
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
	return r.stateBefore(n)
}

// stateBefore replays migs[:n] from the nearest checkpoint at or before n,
// and leaves a checkpoint at the last multiple of checkpointEvery it passes
// (one clone per query: cloning is what costs, not replaying).
func (r *Repo) stateBefore(n int) *State {
	if r.checkpoints == nil {
		r.checkpoints = map[int]*State{}
	}
	start := 0
	for cp := n - n%checkpointEvery; cp > 0; cp -= checkpointEvery {
		if r.checkpoints[cp] != nil {
			start = cp
			break
		}
	}
	s := newState()
	if start > 0 {
		s = r.checkpoints[start].clone()
	}
	mark := n - n%checkpointEvery
	for i := start; i < n; i++ {
		if i == mark && mark > start {
			r.checkpoints[mark] = s.clone()
		}
		for _, e := range r.migs[i].effects {
			s.apply(e.stmt, e.origin)
		}
	}
	if n == mark && mark > start {
		r.checkpoints[mark] = s.clone()
	}
	return s
}

func versionOf(path string) string {
	base := filepath.Base(path)
	i := 0
	for i < len(base) && base[i] >= '0' && base[i] <= '9' {
		i++
	}
	return base[:i]
}
