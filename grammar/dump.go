package grammar

import (
	"strconv"
	"strings"
)

// Dump renders n as a compact S-expression, for tests and debugging.
func Dump(n *Node) string {
	var b strings.Builder
	dump(&b, n)
	return b.String()
}

func dump(b *strings.Builder, n *Node) {
	if n == nil {
		b.WriteString("nil")
		return
	}
	b.WriteByte('(')
	b.WriteString(n.Kind.String())
	if n.Text != "" {
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(n.Text))
	}
	if n.Kind == Call && n.Parens {
		b.WriteString(" ()")
	}
	if n.Target != nil {
		b.WriteString(" target:")
		dump(b, n.Target)
	}
	if n.Str != nil {
		b.WriteString(" str:")
		if n.Str.Sigil != "" {
			b.WriteString("~" + n.Str.Sigil)
		}
		if n.Str.Heredoc {
			b.WriteString("heredoc:")
		}
		for _, p := range n.Str.Parts {
			switch p.Kind {
			case Interp:
				b.WriteString("#{")
				dump(b, p.Expr)
				b.WriteString("}")
			default:
				b.WriteString(strconv.Quote(p.Value))
			}
		}
	}
	for _, a := range n.Args {
		b.WriteByte(' ')
		dump(b, a)
	}
	if n.Do != nil {
		b.WriteString(" do:")
		dump(b, n.Do)
	}
	if n.Else != nil {
		b.WriteString(" else:")
		dump(b, n.Else)
	}
	b.WriteByte(')')
}
