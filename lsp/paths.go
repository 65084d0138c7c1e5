package lsp

import (
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/lockwise/lockwise/analysis/project"
	"go.lsp.dev/protocol"
)

// uriToPath returns the file system path of a file: URI. Other schemes
// (untitled:, vscode-notebook-cell:...) have no path; uri.URI.Filename
// would panic on them (STYLE.md 4.1.11), so it is never used.
func uriToPath(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || !strings.EqualFold(u.Scheme, "file") || u.Path == "" {
		return "", false
	}
	p := u.Path
	if u.Host != "" && u.Host != "localhost" {
		p = "//" + u.Host + p // UNC path
	}
	if runtime.GOOS == "windows" && len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:] // /c:/x → c:/x
	}
	return filepath.Clean(filepath.FromSlash(p)), true
}

// pathToURI is the file: URI of an absolute path, for files the client did
// not name itself (related information in other files).
func pathToURI(p string) protocol.DocumentURI {
	p = filepath.ToSlash(p)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return protocol.DocumentURI((&url.URL{Scheme: "file", Path: p}).String())
}

// siblingURI is the URI of the file name next to the document docURI. It
// is derived from the client's own URI string, replacing its last segment,
// so that the client's escaping of the directory (VS Code writes
// file:///c%3A/...) is kept (STYLE.md 4.1.11).
func siblingURI(docURI, name string) (protocol.DocumentURI, error) {
	if !strings.HasPrefix(strings.ToLower(docURI), "file:") {
		return "", fmt.Errorf("%s is not a file on disk: save it first", docURI)
	}
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("invalid new file name %q", name)
	}
	i := strings.LastIndexByte(docURI, '/')
	if i < 0 {
		return "", fmt.Errorf("%s has no directory", docURI)
	}
	return protocol.DocumentURI(docURI[:i+1] + url.PathEscape(name)), nil
}

// classify decides whether the document at uri is a migration lockwise
// analyses: its path, relative to a mix project (an ancestor holding
// mix.exs, nearest first) or to a workspace folder, matches one of the
// migration globs of the settings; when the settings name none, those of
// the project's .lockwise.toml if it has one, else the defaults. It returns the file path ("" for non-file URIs) and the
// root the path matched under.
func (s *server) classify(uri string, st Settings) (filePath, root string, migration bool) {
	filePath, ok := uriToPath(uri)
	if !ok {
		return "", "", false
	}
	globs := st.Migrations
	if len(globs) == 0 {
		// Without an editor setting, a .lockwise.toml of the project
		// decides with its `migrations` globs, as for `lockwise check`.
		loader, _ := s.index.state()
		if f := loader.File(filePath); f.Config != nil && f.Config.Path != "" {
			if f.Migration && filepath.Ext(filePath) == ".exs" {
				return filePath, filepath.Dir(f.Config.Path), true
			}
			return filePath, "", false
		}
		globs = DefaultMigrations
	}
	roots := append(mixRoots(filePath), s.life.workspaceRoots()...)
	for _, r := range roots {
		rel, err := filepath.Rel(r, filePath)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		if matchMigration(globs, filepath.ToSlash(rel)) {
			return filePath, r, true
		}
	}
	return filePath, "", false
}

// place classifies the document at uri and finds its project in the
// workspace model.
func (s *server) place(uri string, st Settings) placement {
	path, root, migration := s.classify(uri, st)
	pl := placement{root: root, migration: migration}
	if path != "" {
		pl.project = s.projectRootOf(path)
		pl.lib = !migration && isLibFile(pl.project, path)
	}
	return pl
}

// projectRootOf is the root of the project holding path: its mix project
// (the umbrella for an umbrella app), else the workspace folder holding it.
func (s *server) projectRootOf(path string) string {
	if r, ok := project.Root(path); ok {
		return r
	}
	best := ""
	for _, f := range s.life.workspaceRoots() {
		rel, err := filepath.Rel(f, path)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && len(f) > len(best) {
			best = f
		}
	}
	return best
}

// mixRoots lists the ancestors of file that hold a mix.exs, nearest first
// (an umbrella app, then the umbrella). A file deleted while open still has
// its ancestors, so it keeps being analysed from its in-memory text.
func mixRoots(file string) []string {
	var out []string
	dir := filepath.Dir(file)
	for {
		if _, err := os.Stat(filepath.Join(dir, "mix.exs")); err == nil {
			out = append(out, dir)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return out
		}
		dir = parent
	}
}

// matchMigration matches a slash-separated relative path against globs
// (project.MatchMigration); the server analyses .exs files only, the
// migrations Ecto's migrator loads.
func matchMigration(globs []string, rel string) bool {
	return path.Ext(rel) == ".exs" && project.MatchMigration(globs, rel)
}
