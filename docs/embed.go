// Package docs embeds the rule documentation pages (docs/rules/<id>.md) so
// that `lockwise rules ID` prints them from any directory.
package docs

import (
	"embed"
	"io/fs"
)

//go:embed rules/*.md
var pages embed.FS

// RulePage returns the documentation page of a rule, docs/rules/<id>.md.
func RulePage(id string) ([]byte, bool) {
	if !fs.ValidPath(id) || id == "." {
		return nil, false
	}
	b, err := pages.ReadFile("rules/" + id + ".md")
	return b, err == nil
}
