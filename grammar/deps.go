package grammar

import (
	_ "github.com/smacker/go-tree-sitter"
	_ "github.com/smacker/go-tree-sitter/elixir"
)
