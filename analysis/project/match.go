package project

import (
	"path"
	"path/filepath"
	"strings"
)

// MatchMigration reports whether rel, a path relative to the directory the
// globs are relative to, is a migration file under one of the globs.
//
// A glob without an extension names directories ("priv/*/migrations"): the
// .exs and .ex files directly inside them match (Ecto reads the .exs files
// of a migration directory; .ex migrations exist in libraries such as
// oban). A glob with an extension names files. "**" matches any number of
// path segments; other segments follow path.Match.
func MatchMigration(globs []string, rel string) bool {
	rel = filepath.ToSlash(rel)
	if rel == "" || rel == ".." || strings.HasPrefix(rel, "../") || !sourceFile(path.Base(rel)) {
		return false
	}
	for _, g := range globs {
		g = strings.Trim(strings.TrimPrefix(filepath.ToSlash(g), "./"), "/")
		if g == "" {
			continue
		}
		if path.Ext(g) == "" {
			if globMatch(g, path.Dir(rel)) {
				return true
			}
		} else if globMatch(g, rel) {
			return true
		}
	}
	return false
}

func globMatch(pattern, name string) bool {
	return matchSegments(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegments(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchSegments(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, err := path.Match(pat[0], name[0]); err != nil || !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}
