package analysis

import (
	"strconv"
	"strings"

	"github.com/lockwise/lockwise/grammar"
)

// VKind is the kind of a statically evaluated Elixir term.
type VKind int

const (
	VDynamic VKind = iota // not known from the file
	VNil
	VBool
	VInt
	VFloat
	VAtom
	VString
	VList  // also keyword lists: Keys is then set
	VTuple // Items
	VMap   // MapKeys + Items
	VFragment
	VTable
	VIndex
	VRef
	VConstraint
	VFunc // an anonymous function or capture: Fn holds its body
	VRepo // repo() or a module named like a repo: calls on it run SQL
	VBits // a bitstring whose size is not a multiple of 8: S holds the bits ("0101")
)

// Value is an Elixir term evaluated from the file, or VDynamic.
type Value struct {
	Kind    VKind
	S       string // atom name, string value, number literal (normalised), fragment SQL
	Items   []Value
	Keys    []string // keyword lists: Keys[i] is the key of Items[i]
	MapKeys []Value
	Node    *grammar.Node
	Why     string // for VDynamic: what made it unknown

	// Strings: Holes are the interpolations that stand as placeholders in S;
	// Dec maps S back into the file when it was written there.
	Holes []Hole
	Dec   *grammar.Decoded

	Table      *TableSpec
	Index      *IndexSpec
	Ref        *RefSpec
	Constraint *ConstraintSpec
	Fn         *fnValue
}

type fnValue struct {
	body   *grammar.Node // AnonFn node, or nil for a capture
	name   string        // captured local function name (&name/0)
	module string        // captured remote module
	env    *env
}

func dynamic(n *grammar.Node, why string) Value { return Value{Kind: VDynamic, Node: n, Why: why} }

// IsKeyword reports whether v is a keyword list (including the empty list).
func (v Value) IsKeyword() bool {
	return v.Kind == VList && len(v.Keys) == len(v.Items)
}

// Get returns the value of key in a keyword list (the first occurrence, as
// Keyword.get does).
func (v Value) Get(key string) (Value, bool) {
	if !v.IsKeyword() {
		return Value{}, false
	}
	for i, k := range v.Keys {
		if k == key {
			return v.Items[i], true
		}
	}
	return Value{}, false
}

// Has reports whether key is present in a keyword list.
func (v Value) Has(key string) bool {
	_, ok := v.Get(key)
	return ok
}

// Truthy reports whether v is known and neither nil nor false.
func (v Value) Truthy() bool {
	switch v.Kind {
	case VDynamic, VNil:
		return false
	case VBool:
		return v.S == "true"
	}
	return true
}

// Text returns the string form of an atom or string.
func (v Value) Text() (string, bool) {
	if v.Kind == VAtom || v.Kind == VString {
		return v.S, true
	}
	return "", false
}

// IsStatic reports whether v and everything inside it is known.
func (v Value) IsStatic() bool {
	switch v.Kind {
	case VDynamic:
		return false
	case VString, VAtom:
		return len(v.Holes) == 0
	case VList, VTuple, VMap:
		for _, it := range v.Items {
			if !it.IsStatic() {
				return false
			}
		}
		for _, k := range v.MapKeys {
			if !k.IsStatic() {
				return false
			}
		}
	case VRef:
		return !v.Ref.Dynamic
	case VIndex:
		return !v.Index.Dynamic
	case VTable:
		return !v.Table.Ref.Dynamic
	case VConstraint:
		return !v.Constraint.Dynamic
	}
	return true
}

// emptyKeyword is [].
func emptyKeyword() Value { return Value{Kind: VList, Keys: []string{}} }

// with returns a copy of keyword list v with key set to val, replacing every
// earlier occurrence (Keyword.put).
func (v Value) with(key string, val Value) Value {
	out := Value{Kind: VList, Keys: []string{key}, Items: []Value{val}, Node: v.Node}
	for i, k := range v.Keys {
		if k != key {
			out.Keys = append(out.Keys, k)
			out.Items = append(out.Items, v.Items[i])
		}
	}
	return out
}

// without returns a copy of keyword list v without key (Keyword.delete).
func (v Value) without(key string) Value {
	out := Value{Kind: VList, Keys: []string{}, Node: v.Node}
	for i, k := range v.Keys {
		if k != key {
			out.Keys = append(out.Keys, k)
			out.Items = append(out.Items, v.Items[i])
		}
	}
	return out
}

// merge returns Keyword.merge(v, o): keys of o replace those of v.
func (v Value) merge(o Value) Value {
	out := Value{Kind: VList, Keys: []string{}, Node: v.Node}
	for i, k := range v.Keys {
		if !o.Has(k) {
			out.Keys = append(out.Keys, k)
			out.Items = append(out.Items, v.Items[i])
		}
	}
	out.Keys = append(out.Keys, o.Keys...)
	out.Items = append(out.Items, o.Items...)
	return out
}

// Elixir renders the value as Elixir source (for messages and generated code).
func (v Value) Elixir() string {
	switch v.Kind {
	case VNil:
		return "nil"
	case VBool, VInt, VFloat:
		return v.S
	case VAtom:
		if isPlainAtom(v.S) {
			return ":" + v.S
		}
		return ":" + strconv.Quote(v.S)
	case VString:
		return strconv.Quote(v.S)
	case VFragment:
		return "fragment(" + strconv.Quote(v.S) + ")"
	case VList:
		var parts []string
		for i, it := range v.Items {
			if v.IsKeyword() {
				parts = append(parts, v.Keys[i]+": "+it.Elixir())
			} else {
				parts = append(parts, it.Elixir())
			}
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case VTuple:
		var parts []string
		for _, it := range v.Items {
			parts = append(parts, it.Elixir())
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	if v.Node != nil && v.Node.Kind != grammar.Invalid {
		return "<expr>"
	}
	return "<dynamic>"
}

func isPlainAtom(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '@'):
		case i == len(s)-1 && (c == '?' || c == '!'):
		default:
			return false
		}
	}
	return true
}

// normalizeInt turns an Elixir integer literal into decimal digits.
func normalizeInt(lit string) (string, bool) {
	s := strings.ReplaceAll(lit, "_", "")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	base := 10
	switch {
	case strings.HasPrefix(s, "0x"):
		base, s = 16, s[2:]
	case strings.HasPrefix(s, "0o"):
		base, s = 8, s[2:]
	case strings.HasPrefix(s, "0b"):
		base, s = 2, s[2:]
	}
	n, ok := new(bigInt).parse(s, base)
	if !ok {
		return "", false
	}
	if neg && n != "0" {
		n = "-" + n
	}
	return n, true
}

// normalizeFloat renders a float literal the way Elixir's to_string does for
// the common forms (1.50 -> 1.5); exponent forms are kept as written.
func normalizeFloat(lit string) string {
	s := strings.ReplaceAll(lit, "_", "")
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return s
		}
		return elixirFloat(f)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return elixirFloat(f)
}

// elixirFloat formats f as Erlang's float_to_binary(F, [short]) does:
// the shortest round-trip digits, with ".0" for whole numbers and an
// exponent when that is shorter.
func elixirFloat(f float64) string {
	plain := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(plain, ".") {
		plain += ".0"
	}
	sci := strconv.FormatFloat(f, 'e', -1, 64) // e.g. 1e+21, 1.5e-07
	mant, exp, _ := strings.Cut(sci, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	exp = strings.TrimPrefix(exp, "+")
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(strings.TrimPrefix(exp, "-"), "0")
	if exp == "" {
		exp = "0"
	}
	if neg {
		exp = "-" + exp
	}
	sci = mant + "e" + exp
	if len(sci) < len(plain) {
		return sci
	}
	return plain
}

// bigInt converts digit strings between bases without overflow.
type bigInt struct{}

func (bigInt) parse(s string, base int) (string, bool) {
	if s == "" {
		return "", false
	}
	if base == 10 {
		for _, c := range s {
			if c < '0' || c > '9' {
				return "", false
			}
		}
		t := strings.TrimLeft(s, "0")
		if t == "" {
			t = "0"
		}
		return t, true
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		return "", false
	}
	return strconv.FormatUint(n, 10), true
}

func replaceAll(s, old, new string) string { return strings.ReplaceAll(s, old, new) }
