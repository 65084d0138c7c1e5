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

// symbolOf classifies a tree-sitter node.
func symbolOf(n *sitter.Node) sym {
	if n.IsError() {
		return symError
	}
	if !n.IsNamed() {
		// quoted_start/quoted_end are anonymous in this grammar; callers use positions.
		return symOther
	}
	s := int(n.Symbol())
	if s < len(symOf) {
		return symOf[s]
	}
	return symOther
}

type converter struct {
	src    []byte
	errors []Range
}

func (c *converter) text(n *sitter.Node) string {
	return string(c.src[n.StartByte():n.EndByte()])
}

func children(n *sitter.Node) []*sitter.Node {
	cnt := int(n.ChildCount())
	out := make([]*sitter.Node, 0, cnt)
	for i := 0; i < cnt; i++ {
		out = append(out, n.Child(i))
	}
	return out
}

// namedExprs converts the named children of n, skipping comments.
func (c *converter) namedExprs(n *sitter.Node) []*Node {
	var out []*Node
	for _, ch := range children(n) {
		if x := c.convert(ch); x != nil {
			out = append(out, x)
		}
	}
	return out
}

func (c *converter) node(k Kind, n *sitter.Node) *Node {
	return &Node{Kind: k, Start: int(n.StartByte()), End: int(n.EndByte())}
}

// convert turns one tree-sitter node into a Node; it returns nil for
// punctuation, comments and other nodes without meaning of their own.
func (c *converter) convert(n *sitter.Node) *Node {
	if n.IsMissing() {
		c.errors = append(c.errors, Range{int(n.StartByte()), int(n.EndByte())})
		return nil
	}
	switch symbolOf(n) {
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
		x.Str = c.str(n, "", symbolOf(n) == symCharlist)
		return x
	case symSigil:
		x := c.node(String, n)
		name := ""
		for _, ch := range children(n) {
			if symbolOf(ch) == symSigilName {
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
		for _, ch := range children(n) {
			switch symbolOf(ch) {
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
		for _, ch := range children(n) {
			if !ch.IsNamed() && x.Text == "" && len(x.Args) == 1 {
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
		for _, ch := range children(n) {
			if !ch.IsNamed() && x.Text == "" && len(x.Args) == 0 {
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
		for _, ch := range children(n) {
			switch symbolOf(ch) {
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
		c.errors = append(c.errors, Range{int(n.StartByte()), int(n.EndByte())})
		x := c.node(Error, n)
		x.Args = c.namedExprs(n)
		return x
	case symArguments, symDoBlock, symElseBlock, symKeyword, symQuotedKeyword, symQuotedContent,
		symEscape, symInterpolation, symSigilName, symSigilMods, symMapContent, symStruct:
		// Handled by their parents; reaching them here means the tree is
		// unusual (error recovery): keep whatever expressions they hold.
		if !n.IsNamed() {
			return nil
		}
		x := c.node(Other, n)
		x.Args = c.namedExprs(n)
		return x
	default:
		if !n.IsNamed() {
			return nil
		}
		x := c.node(Other, n)
		x.Text = c.text(n)
		x.Args = c.namedExprs(n)
		return x
	}
}

func (c *converter) call(n *sitter.Node) *Node {
	x := c.node(Call, n)
	kids := children(n)
	for i, ch := range kids {
		switch s := symbolOf(ch); {
		case i == 0 && s == symIdentifier:
			x.Text = c.text(ch)
		case i == 0 && s == symDot:
			// remote call: receiver . name
			var parts []*sitter.Node
			for _, d := range children(ch) {
				if d.IsNamed() || symbolOf(d) == symError {
					parts = append(parts, d)
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
			for _, a := range children(ch) {
				if !a.IsNamed() {
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

func (c *converter) doBlock(x *Node, n *sitter.Node) {
	do := c.node(Block, n)
	x.Do = do
	cur := do
	for _, ch := range children(n) {
		if symbolOf(ch) == symElseBlock {
			eb := c.node(Block, ch)
			eb.Args = c.namedExprs(ch)
			if x.Else == nil {
				x.Else = eb
			}
			continue
		}
		if y := c.convert(ch); y != nil {
			cur.Args = append(cur.Args, y)
		}
	}
}

func (c *converter) pair(n *sitter.Node) *Node {
	x := c.node(Pair, n)
	for _, ch := range children(n) {
		switch symbolOf(ch) {
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
func (c *converter) str(n *sitter.Node, sigil string, charlist bool) *Str {
	s := &Str{Sigil: sigil, Charlist: charlist}
	raw := sigil != "" && sigil[0] >= 'A' && sigil[0] <= 'Z'
	kids := children(n)
	started := false
	for _, ch := range kids {
		switch symbolOf(ch) {
		case symQuotedContent:
			s.Parts = append(s.Parts, Part{Kind: Literal, Start: int(ch.StartByte()), End: int(ch.EndByte()), Value: c.text(ch)})
		case symEscape:
			v := c.text(ch)
			k := Literal
			if !raw {
				v = unescape(v)
				k = Escape
			}
			s.Parts = append(s.Parts, Part{Kind: k, Start: int(ch.StartByte()), End: int(ch.EndByte()), Value: v})
		case symInterpolation:
			p := Part{Kind: Interp, Start: int(ch.StartByte()), End: int(ch.EndByte())}
			for _, e := range children(ch) {
				if y := c.convert(e); y != nil {
					p.Expr = y
					break
				}
			}
			s.Parts = append(s.Parts, p)
		case symSigilMods:
			s.Mods = c.text(ch)
		default:
			if ch.IsNamed() {
				if symbolOf(ch) == symError {
					c.convert(ch)
				}
				continue
			}
			t := c.text(ch)
			if t == "~" || t == ":" {
				continue
			}
			if !started {
				// the opening delimiter
				started = true
				s.ContentStart = int(ch.EndByte())
				s.Heredoc = len(t) == 3 && (t == `"""` || t == `'''`)
				s.ContentEnd = s.ContentStart
			} else if s.ContentEnd == s.ContentStart || int(ch.StartByte()) >= s.ContentEnd {
				s.ContentEnd = int(ch.StartByte())
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
