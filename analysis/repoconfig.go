package analysis

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/lockwise/lockwise/grammar"
)

// ProjectConfig is what config/*.exs says about the repos (read as text,
// never run): the settings that change the SQL Ecto generates or the
// migration lock, per repo module.
type ProjectConfig struct {
	Repos map[string]*RepoConfig
	// Priv maps a repo to its priv directory (the `priv:` option, default
	// "priv/<repo name underscored>").
	Priv map[string]string
	// MapType is the :ecto_sql postgres_map_type setting.
	MapType string
	// EctoRepos are the repos of `config :app, ecto_repos: [...]`.
	EctoRepos []string
	// Files are the config files read.
	Files []string
}

// configFiles are the files that apply in production, in load order.
var configFiles = []string{"config.exs", "prod.exs", "runtime.exs"}

// ReadProjectConfig reads root/config/{config,prod,runtime}.exs.
func ReadProjectConfig(root string) *ProjectConfig {
	pc := &ProjectConfig{Repos: map[string]*RepoConfig{}, Priv: map[string]string{}}
	for _, name := range configFiles {
		path := filepath.Join(root, "config", name)
		src, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		pc.Files = append(pc.Files, path)
		pc.read(path, src)
	}
	if pc.MapType != "" {
		for _, rc := range pc.Repos {
			rc.MapType = pc.MapType
		}
	}
	return pc
}

// read applies the `config :app, Repo, key: value` calls of one file.
func (pc *ProjectConfig) read(path string, src []byte) {
	f := grammar.Parse(src)
	m := &Migration{Path: path, File: f, Lines: grammar.NewLines(src)}
	r := newRunner(m, DefaultRepoConfig(), nil, nil, Up, 20000)
	e := newEnv(&module{funcs: map[string][]*funcDef{}, aliases: map[string]string{}}, nil)
	grammar.Walk(f.Root, func(n *grammar.Node) bool {
		if !n.IsCall("config") || len(n.Args) < 2 {
			return true
		}
		app := n.Args[0]
		second := n.Args[1]
		if app.Kind != grammar.Atom {
			return false
		}
		if second.Kind == grammar.Keywords {
			v := r.eval(second, e)
			if t, ok := v.Get("postgres_map_type"); ok && t.Kind == VString && app.Text == "ecto_sql" {
				pc.MapType = t.S
			}
			if repos, ok := v.Get("ecto_repos"); ok && repos.Kind == VList {
				for _, it := range repos.Items {
					if it.Kind == VAtom && !containsString(pc.EctoRepos, it.S) {
						pc.EctoRepos = append(pc.EctoRepos, it.S)
					}
				}
			}
			return false
		}
		if second.Kind != grammar.Alias || len(n.Args) < 3 {
			return false
		}
		repo := second.Text
		opts := r.eval(n.Args[2], e)
		if !opts.IsKeyword() {
			return false
		}
		rc := pc.Repos[repo]
		if rc == nil {
			rc = DefaultRepoConfig()
			pc.Repos[repo] = rc
		}
		for i, k := range opts.Keys {
			v := opts.Items[i]
			switch k {
			case "migration_lock":
				switch {
				case v.Kind == VAtom && v.S == "pg_advisory_lock":
					rc.MigrationLock = "pg_advisory_lock"
				case v.Kind == VAtom && v.S == "table_lock":
					rc.MigrationLock = "table_lock"
				case v.Kind == VNil || v.Kind == VBool && v.S == "false":
					rc.MigrationLock = "none"
				}
			case "migration_primary_key":
				if v.IsKeyword() || v.Kind == VBool && v.S == "false" {
					rc.PrimaryKey = v
				}
			case "migration_foreign_key":
				if v.IsKeyword() {
					rc.ForeignKey = v
				}
			case "migration_timestamps":
				if v.IsKeyword() {
					rc.Timestamps = v
				}
			case "migration_default_prefix":
				if s, ok := nameOf(v); ok {
					rc.DefaultPrefix = s
				}
			case "parameters":
				if t, ok := v.Get("lock_timeout"); ok {
					s, _ := nameOf(t)
					rc.LockTimeout = t.Kind == VInt && t.S != "0" || s != "" && s != "0"
				}
			case "priv":
				if v.Kind == VString && len(v.Holes) == 0 {
					pc.Priv[repo] = strings.TrimSuffix(v.S, "/")
				}
			}
		}
		return false
	})
}

// RepoFor returns the configuration of the repo whose migrations live in
// dir ("priv/repo/migrations", "apps/shop/priv/repo/migrations"), or
// Ecto's defaults.
func (pc *ProjectConfig) RepoFor(dir string) *RepoConfig {
	if pc == nil {
		return DefaultRepoConfig()
	}
	dir = filepath.ToSlash(filepath.Clean(dir))
	privOf := func(repo string) string {
		if p := pc.Priv[repo]; p != "" {
			return p
		}
		return "priv/" + underscore(repo[strings.LastIndexByte(repo, '.')+1:])
	}
	// The repo whose migrations directory it is.
	for repo, rc := range pc.Repos {
		priv := privOf(repo)
		if dir == priv+"/migrations" || strings.HasSuffix(dir, "/"+priv+"/migrations") {
			return rc
		}
	}
	// Another directory under a repo's priv (priv/repo/manual_migrations,
	// run with `mix ecto.migrate --migrations-path`).
	for repo, rc := range pc.Repos {
		priv := privOf(repo)
		if strings.HasPrefix(dir, priv+"/") || strings.Contains(dir, "/"+priv+"/") {
			return rc
		}
	}
	// A project with a single repo: its migrations, wherever they are.
	if len(pc.EctoRepos) == 1 {
		if rc := pc.Repos[pc.EctoRepos[0]]; rc != nil {
			return rc
		}
	}
	rc := DefaultRepoConfig()
	if pc.MapType != "" {
		rc.MapType = pc.MapType
	}
	return rc
}

// underscore is Macro.underscore for a module name segment: OtherRepo -> other_repo.
func underscore(s string) string {
	var b strings.Builder
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(c - 'A' + 'a')
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
