// Package grammar parses Elixir source with tree-sitter and hands out plain Go
// values with byte ranges. No tree-sitter type leaves this package, so the
// binding can be swapped (official go-tree-sitter) without touching callers.
package grammar

// Kind is the syntactic kind of a Node.
type Kind uint8

const (
	Invalid    Kind = iota
	Call            // name(args), name args, recv.name(args); Text = name, Target = receiver, Do = do block
	Identifier      // variable or paren-less local call without arguments; Text = name
	Atom            // :name or :"name"; Text = name (Str set when quoted)
	Alias           // Foo.Bar; Text = "Foo.Bar"
	String          // "..", """..""", '..', ~s(..) and other sigils; Str holds the parts
	Integer         // Text = literal as written
	Float           // Text = literal as written
	Boolean         // Text = "true" or "false"
	Nil             //
	List            // [a, b]; Args = items (a trailing keyword list is one Keywords item)
	Tuple           // {a, b}; Args = items
	Map             // %{...} and %Struct{...}; Args = items
	Keywords        // key: value, ...; Args = Pair nodes
	Pair            // one keyword pair; Text = key without the colon, Args = [value]
	BinaryOp        // Text = operator, Args = [left, right]
	UnaryOp         // Text = operator ("@", "&", "-", "not", ...), Args = [operand]
	Block           // a sequence of expressions: file body, do-block body, (a; b)
	Stab            // one clause "args -> body": Args = left side, Do = body
	AnonFn          // fn ... end; Args = Stab clauses
	Access          // a[b]; Args = [a, b]
	Char            // ?a; Text = literal as written
	Error           // a region tree-sitter could not parse; Args = what could be recovered inside
	Other           // anything else (bitstrings, operator identifiers, ...)
)

var kindNames = [...]string{"invalid", "call", "identifier", "atom", "alias", "string", "integer", "float",
	"boolean", "nil", "list", "tuple", "map", "keywords", "pair", "binary_op", "unary_op", "block", "stab",
	"anon_fn", "access", "char", "error", "other"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Node is one plain syntax node. Start and End are byte offsets into the file.
type Node struct {
	Kind   Kind
	Start  int
	End    int
	Text   string
	Target *Node   // receiver of a remote call (Repo in Repo.insert_all(...)); nil for local calls
	Args   []*Node // see Kind
	Do     *Node   // Block of a do ... end (Call) or the body of a Stab
	Else   *Node   // Block of an else/rescue/catch/after part, when present
	Str    *Str    // String (and quoted Atom) contents
	// Parens tells whether a Call was written with parentheses.
	Parens bool
}

// Str describes the contents of a string-like literal.
type Str struct {
	Sigil    string // "" for plain strings, otherwise the sigil name ("s", "S", "w", ...)
	Mods     string // sigil modifiers
	Heredoc  bool   // """ or ''' delimiters
	Charlist bool   // single quotes
	// ContentStart/ContentEnd delimit the raw content between the delimiters.
	ContentStart, ContentEnd int
	Parts                    []Part
}

// PartKind tells what a Part of a string is.
type PartKind uint8

const (
	Literal PartKind = iota // raw text copied as is (Value == source bytes)
	Escape                  // an escape sequence; Value is what it stands for
	Interp                  // #{...}; Expr is the expression inside
)

// Part is a piece of a string literal with its byte range in the file.
type Part struct {
	Kind  PartKind
	Start int
	End   int
	Value string
	Expr  *Node
}

// Comment is one "# ..." comment.
type Comment struct {
	Start int
	End   int
	Text  string // including the leading '#'
}

// Range is a byte range.
type Range struct {
	Start int
	End   int
}

// File is the plain result of parsing one Elixir file.
type File struct {
	Src      []byte
	Root     *Node // Block of top-level expressions
	Comments []Comment
	// Errors are the regions tree-sitter could not parse (ERROR and MISSING nodes).
	Errors []Range
}

// Walk calls fn for n and every node below it, depth first, in source order.
// When fn returns false the children of that node are skipped.
func Walk(n *Node, fn func(*Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	Walk(n.Target, fn)
	for _, a := range n.Args {
		Walk(a, fn)
	}
	if n.Str != nil {
		for _, p := range n.Str.Parts {
			if p.Expr != nil {
				Walk(p.Expr, fn)
			}
		}
	}
	Walk(n.Do, fn)
	Walk(n.Else, fn)
}

// Source returns the file text of n.
func (f *File) Source(n *Node) string {
	if n == nil {
		return ""
	}
	return string(f.Src[n.Start:n.End])
}

// Keyword returns the value of key in a Keywords node, or nil.
func (n *Node) Keyword(key string) *Node {
	if n == nil || n.Kind != Keywords {
		return nil
	}
	for _, p := range n.Args {
		if p.Kind == Pair && p.Text == key && len(p.Args) == 1 {
			return p.Args[0]
		}
	}
	return nil
}

// IsCall reports whether n is a local call named name.
func (n *Node) IsCall(name string) bool {
	return n != nil && n.Kind == Call && n.Target == nil && n.Text == name
}
