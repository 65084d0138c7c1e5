// Package docs embeds the rule documentation pages (docs/rules/<id>.md) so
// that `lockwise rules ID` prints them from any directory.
package docs

import (
	"embed"
	"io/fs"
)

// files holds this directory. The pattern is "*" rather than "rules/*.md"
// because a pattern that matches no file is a build error, and the pages
// are written separately from this package: "*" always matches.
//
//go:embed *
var files embed.FS

// RulePage returns the documentation page of a rule, docs/rules/<id>.md.
func RulePage(id string) ([]byte, bool) {
	if !fs.ValidPath(id) || id == "." {
		return nil, false
	}
	b, err := files.ReadFile("rules/" + id + ".md")
	return b, err == nil
}
