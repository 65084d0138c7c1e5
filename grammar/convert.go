package grammar

import (
	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/elixir"
)

// symbol kinds of the Elixir grammar, resolved once by name so that the
// converter compares integers instead of allocating type strings per node.
type sym uint8

const (
	symOther sym = iota
	symSource
	symCall
	symArguments
	symDoBlock
	symElseBlock // else/rescue/catch/after blocks
	symIdentifier
	symAlias
	symAtom
	symQuotedAtom
	symKeywords
	symPair
	symKeyword
	symQuotedKeyword
	symString
	symCharlist
	symSigil
	symSigilName
	symSigilMods
	symQuotedContent
	symEscape
	symInterpolation
	symInteger
	symFloat
	symBoolean
	symNil
	symList
	symTuple
	symMap
	symMapContent
	symStruct
	symBinaryOp
	symUnaryOp
	symDot
	symBlock
	symBody
	symStab
	symAnonFn
	symAccess
	symChar
	symComment
	symError
	symQuotedStart
	symQuotedEnd
)

var (
	language = elixir.GetLanguage()
	symOf    []sym // indexed by tree-sitter symbol id
)

func init() {
	named := map[string]sym{
		"source": symSource, "call": symCall, "arguments": symArguments, "do_block": symDoBlock,
		"else_block": symElseBlock, "rescue_block": symElseBlock, "catch_block": symElseBlock, "after_block": symElseBlock,
		"identifier": symIdentifier, "alias": symAlias, "atom": symAtom, "quoted_atom": symQuotedAtom,
		"keywords": symKeywords, "pair": symPair, "keyword": symKeyword, "quoted_keyword": symQuotedKeyword,
		"string": symString, "charlist": symCharlist, "sigil": symSigil, "sigil_name": symSigilName,
		"sigil_modifiers": symSigilMods, "quoted_content": symQuotedContent, "escape_sequence": symEscape,
		"interpolation": symInterpolation, "integer": symInteger, "float": symFloat, "boolean": symBoolean,
		"nil": symNil, "list": symList, "tuple": symTuple, "map": symMap, "map_content": symMapContent,
		"struct": symStruct, "binary_operator": symBinaryOp, "unary_operator": symUnaryOp, "dot": symDot,
		"block": symBlock, "body": symBody, "stab_clause": symStab, "anonymous_function": symAnonFn,
		"access_call": symAccess, "char": symChar, "comment": symComment,
	}
	n := int(language.SymbolCount())
	symOf = make([]sym, n)
	for i := 0; i < n; i++ {
		s := sitter.Symbol(i)
		if language.SymbolType(s) != sitter.SymbolTypeRegular {
			continue
		}
		if k, ok := named[language.SymbolName(s)]; ok {
			symOf[i] = k
		}
	}
}

// symbolOf classifies node n of the flat tree.
func (c *converter) symbolOf(n int) sym {
	if c.t.isError(n) {
		return symError
	}
	if !c.t.named(n) {
		// quoted_start/quoted_end are anonymous in this grammar; callers use positions.
		return symOther
	}
	s := c.t.symbol(n)
	if s < len(symOf) {
		return symOf[s]
	}
	return symOther
}

// converter turns the flat tree-sitter tree into Nodes. Node indices (int)
// refer to the flat tree.
type converter struct {
	src    []byte
	t      *flatTree
	errors []Range
	slab   []Node
}

func (c *converter) text(n int) string {
	return string(c.src[c.t.start(n):c.t.end(n)])
}

func (c *converter) children(n int) []int32 { return c.t.children(n) }

// namedExprs converts the named children of n, skipping comments.
func (c *converter) namedExprs(n int) []*Node {
	var out []*Node
	for _, ch := range c.children(n) {
		if x := c.convert(int(ch)); x != nil {
			out = append(out, x)
		}
	}
	return out
}

func (c *converter) node(k Kind, n int) *Node {
	// Nodes are carved out of slabs: one allocation per 128 nodes.
	if len(c.slab) == 0 {
		c.slab = make([]Node, 128)
	}
	x := &c.slab[0]
	c.slab = c.slab[1:]
	*x = Node{Kind: k, Start: c.t.start(n), End: c.t.end(n)}
	return x
}

// convert turns one tree-sitter node into a Node; it returns nil for
// punctuation, comments and other nodes without meaning of their own.
func (c *converter) convert(n int) *Node {
	if c.t.missing(n) {
		c.errors = append(c.errors, Range{c.t.start(n), c.t.end(n)})
		return nil
	}
	switch c.symbolOf(n) {
	case symComment:
		return nil // collected by the comments query
	case symSource, symBlock, symBody:
		b := c.node(Block, n)
		b.Args = c.namedExprs(n)
		return b
	case symCall:
		return c.call(n)
	case symIdentifier:
		x := c.node(Identifier, n)
		x.Text = c.text(n)
		return x
	case symAlias:
		x := c.node(Alias, n)
		x.Text = c.text(n)
		return x
	case symAtom:
		x := c.node(Atom, n)
		t := c.text(n)
		if len(t) > 0 && t[0] == ':' {
			t = t[1:]
		}
		x.Text = t
		return x
	case symQuotedAtom:
		x := c.node(Atom, n)
		x.Str = c.str(n, "", false)
		x.Text, _ = x.Str.Value()
		return x
	case symString, symCharlist:
		x := c.node(String, n)
		x.Str = c.str(n, "", c.symbolOf(n) == symCharlist)
		return x
	case symSigil:
		x := c.node(String, n)
		name := ""
		for _, chi := range c.children(n) {
			ch := int(chi)
			if c.symbolOf(ch) == symSigilName {
				name = c.text(ch)
				break
			}
		}
		x.Str = c.str(n, name, false)
		return x
	case symInteger:
		x := c.node(Integer, n)
		x.Text = c.text(n)
		return x
	case symFloat:
		x := c.node(Float, n)
		x.Text = c.text(n)
		return x
	case symChar:
		x := c.node(Char, n)
		x.Text = c.text(n)
		return x
	case symBoolean:
		x := c.node(Boolean, n)
		x.Text = c.text(n)
		return x
	case symNil:
		return c.node(Nil, n)
	case symList:
		x := c.node(List, n)
		x.Args = c.namedExprs(n)
		return x
	case symTuple:
		x := c.node(Tuple, n)
		x.Args = c.namedExprs(n)
		return x
	case symMap:
		x := c.node(Map, n)
		for _, chi := range c.children(n) {
			ch := int(chi)
			switch c.symbolOf(ch) {
			case symMapContent:
				x.Args = append(x.Args, c.namedExprs(ch)...)
			case symStruct:
				x.Text = c.text(ch)
			default:
				if y := c.convert(ch); y != nil {
					x.Args = append(x.Args, y)
				}
			}
		}
		return x
	case symKeywords:
		x := c.node(Keywords, n)
		x.Args = c.namedExprs(n)
		return x
	case symPair:
		return c.pair(n)
	case symBinaryOp:
		x := c.node(BinaryOp, n)
		for _, chi := range c.children(n) {
			ch := int(chi)
			if !c.t.named(ch) && x.Text == "" && len(x.Args) == 1 {
				x.Text = c.text(ch)
				continue
			}
			if y := c.convert(ch); y != nil {
				x.Args = append(x.Args, y)
			}
		}
		return x
	case symUnaryOp:
		x := c.node(UnaryOp, n)
		for _, chi := range c.children(n) {
			ch := int(chi)
			if !c.t.named(ch) && x.Text == "" && len(x.Args) == 0 {
				x.Text = c.text(ch)
				continue
			}
			if y := c.convert(ch); y != nil {
				x.Args = append(x.Args, y)
			}
		}
		return x
	case symAnonFn:
		x := c.node(AnonFn, n)
		x.Args = c.namedExprs(n)
		return x
	case symStab:
		x := c.node(Stab, n)
		for _, chi := range c.children(n) {
			ch := int(chi)
			switch c.symbolOf(ch) {
			case symArguments:
				x.Args = c.namedExprs(ch)
			case symBody:
				x.Do = c.convert(ch)
			default:
				if y := c.convert(ch); y != nil {
					// a guard or a single pattern written without parentheses
					x.Args = append(x.Args, y)
				}
			}
		}
		if x.Do == nil {
			x.Do = &Node{Kind: Block, Start: x.End, End: x.End}
		}
		return x
	case symAccess:
		x := c.node(Access, n)
		x.Args = c.namedExprs(n)
		return x
	case symDot:
		// A dot outside a call target (rare): keep both sides.
		x := c.node(BinaryOp, n)
		x.Text = "."
		x.Args = c.namedExprs(n)
		return x
	case symError:
		c.errors = append(c.errors, Range{c.t.start(n), c.t.end(n)})
		x := c.node(Error, n)
		x.Args = c.namedExprs(n)
		return x
	case symArguments, symDoBlock, symElseBlock, symKeyword, symQuotedKeyword, symQuotedContent,
		symEscape, symInterpolation, symSigilName, symSigilMods, symMapContent, symStruct:
		// Handled by their parents; reaching them here means the tree is
		// unusual (error recovery): keep whatever expressions they hold.
		if !c.t.named(n) {
			return nil
		}
		x := c.node(Other, n)
		x.Args = c.namedExprs(n)
		return x
	default:
		if !c.t.named(n) {
			return nil
		}
		x := c.node(Other, n)
		x.Text = c.text(n)
		x.Args = c.namedExprs(n)
		return x
	}
}

func (c *converter) call(n int) *Node {
	x := c.node(Call, n)
	for i, chi := range c.children(n) {
		ch := int(chi)
		switch s := c.symbolOf(ch); {
		case i == 0 && s == symIdentifier:
			x.Text = c.text(ch)
		case i == 0 && s == symDot:
			// remote call: receiver . name
			var parts []int
			for _, d := range c.children(ch) {
				if c.t.named(int(d)) || c.symbolOf(int(d)) == symError {
					parts = append(parts, int(d))
				}
			}
			if len(parts) >= 1 {
				x.Target = c.convert(parts[0])
			}
			if len(parts) >= 2 {
				x.Text = c.text(parts[1])
			}
		case i == 0 && s == symCall:
			// f.(x) or a call on a call result: keep the callee as target.
			x.Target = c.convert(ch)
		case s == symArguments:
			for _, ai := range c.children(ch) {
				a := int(ai)
				if !c.t.named(a) {
					if c.text(a) == "(" {
						x.Parens = true
					}
					continue
				}
				if y := c.convert(a); y != nil {
					x.Args = append(x.Args, y)
				}
			}
		case s == symDoBlock:
			c.doBlock(x, ch)
		default:
			if y := c.convert(ch); y != nil && i > 0 {
				x.Args = append(x.Args, y)
			}
		}
	}
	return x
}

func (c *converter) doBlock(x *Node, n int) {
	do := c.node(Block, n)
	x.Do = do
	for _, chi := range c.children(n) {
		ch := int(chi)
		if c.symbolOf(ch) == symElseBlock {
			eb := c.node(Block, ch)
			eb.Args = c.namedExprs(ch)
			if x.Else == nil {
				x.Else = eb
			}
			continue
		}
		if y := c.convert(ch); y != nil {
			do.Args = append(do.Args, y)
		}
	}
}

func (c *converter) pair(n int) *Node {
	x := c.node(Pair, n)
	for _, chi := range c.children(n) {
		ch := int(chi)
		switch c.symbolOf(ch) {
		case symKeyword:
			t := c.text(ch)
			// "null: " -> "null"
			for len(t) > 0 && (t[len(t)-1] == ' ' || t[len(t)-1] == '\t' || t[len(t)-1] == '\n' || t[len(t)-1] == '\r') {
				t = t[:len(t)-1]
			}
			if len(t) > 0 && t[len(t)-1] == ':' {
				t = t[:len(t)-1]
			}
			x.Text = t
		case symQuotedKeyword:
			s := c.str(ch, "", false)
			x.Text, _ = s.Value()
		default:
			if y := c.convert(ch); y != nil {
				x.Args = append(x.Args, y)
			}
		}
	}
	return x
}

// str collects the parts of a string-like node.
func (c *converter) str(n int, sigil string, charlist bool) *Str {
	s := &Str{Sigil: sigil, Charlist: charlist}
	raw := sigil != "" && sigil[0] >= 'A' && sigil[0] <= 'Z'
	started := false
	for _, chi := range c.children(n) {
		ch := int(chi)
		switch c.symbolOf(ch) {
		case symQuotedContent:
			s.Parts = append(s.Parts, Part{Kind: Literal, Start: c.t.start(ch), End: c.t.end(ch), Value: c.text(ch)})
		case symEscape:
			v := c.text(ch)
			k := Literal
			if !raw {
				v = unescape(v)
				k = Escape
			}
			s.Parts = append(s.Parts, Part{Kind: k, Start: c.t.start(ch), End: c.t.end(ch), Value: v})
		case symInterpolation:
			p := Part{Kind: Interp, Start: c.t.start(ch), End: c.t.end(ch)}
			for _, e := range c.children(ch) {
				if y := c.convert(int(e)); y != nil {
					p.Expr = y
					break
				}
			}
			s.Parts = append(s.Parts, p)
		case symSigilMods:
			s.Mods = c.text(ch)
		case symError:
			c.convert(ch)
		default:
			if c.t.named(ch) {
				continue
			}
			t := c.text(ch)
			if t == "~" || t == ":" {
				continue
			}
			if !started {
				// the opening delimiter
				started = true
				s.ContentStart = c.t.end(ch)
				s.Heredoc = t == `"""` || t == `'''`
				s.ContentEnd = s.ContentStart
			} else {
				// the closing delimiter (the last one wins)
				s.ContentEnd = c.t.start(ch)
			}
		}
	}
	if len(s.Parts) > 0 {
		last := s.Parts[len(s.Parts)-1]
		if s.ContentEnd < last.End {
			s.ContentEnd = last.End
		}
	}
	// Merge adjacent literal parts (raw sigils turn escapes into literals).
	merged := s.Parts[:0]
	for _, p := range s.Parts {
		if k := len(merged); k > 0 && p.Kind == Literal && merged[k-1].Kind == Literal && merged[k-1].End == p.Start {
			merged[k-1].End = p.End
			merged[k-1].Value += p.Value
			continue
		}
		merged = append(merged, p)
	}
	s.Parts = merged
	return s
}

// comments lists every comment: they are extras that may sit anywhere in
// the tree, so the flat pre-order list is scanned whole.
func (c *converter) comments() []Comment {
	var out []Comment
	for i := 0; i < c.t.len(); i++ {
		if c.t.named(i) && !c.t.isError(i) && c.t.symbol(i) < len(symOf) && symOf[c.t.symbol(i)] == symComment {
			out = append(out, Comment{Start: c.t.start(i), End: c.t.end(i), Text: c.text(i)})
		}
	}
	return out
}
