package grammar

import (
	"bytes"
	"fmt"

	sitter "github.com/smacker/go-tree-sitter"
)

// Edit replaces the bytes [Start, End) of the current text with Text.
type Edit struct {
	Start, End int
	Text       []byte
}

// Doc is an incrementally re-parsed document. It owns a tree-sitter parser
// and tree, which are not safe for concurrent use (STYLE.md 4.2.1): a Doc
// must be used by one goroutine at a time. Everything it returns is plain
// data that may be shared freely.
type Doc struct {
	parser *sitter.Parser
	tree   *sitter.Tree
	src    []byte
	file   *File // converted tree for the current text, built lazily
}

// NewDoc parses src.
func NewDoc(src []byte) *Doc {
	d := &Doc{parser: newParser(), src: append([]byte(nil), src...)}
	d.reparse(nil)
	return d
}

// Text returns the current text. The caller must not modify it.
func (d *Doc) Text() []byte { return d.src }

// Apply applies edits in order, each relative to the text left by the
// previous one, and re-parses incrementally. An edit outside the text is an
// error and leaves the document unchanged from that edit on.
func (d *Doc) Apply(edits ...Edit) error {
	for _, e := range edits {
		if e.Start < 0 || e.End < e.Start || e.End > len(d.src) {
			return fmt.Errorf("edit [%d,%d) outside the text (length %d)", e.Start, e.End, len(d.src))
		}
		in := sitter.EditInput{
			StartIndex:  uint32(e.Start),
			OldEndIndex: uint32(e.End),
			NewEndIndex: uint32(e.Start + len(e.Text)),
			StartPoint:  pointAt(d.src, e.Start),
			OldEndPoint: pointAt(d.src, e.End),
		}
		next := make([]byte, 0, len(d.src)-(e.End-e.Start)+len(e.Text))
		next = append(next, d.src[:e.Start]...)
		next = append(next, e.Text...)
		next = append(next, d.src[e.End:]...)
		// NewEndPoint is dropped by the binding (STYLE.md 4.2.4); it is set
		// anyway and positions are never read from the edited tree: the
		// reparse below recomputes them.
		in.NewEndPoint = pointAt(next, e.Start+len(e.Text))
		if d.tree != nil {
			d.tree.Edit(in)
		}
		d.src = next
		// Re-parse after every edit so that the next edit applies to a tree
		// whose positions are right.
		d.reparse(d.tree)
	}
	return nil
}

// SetText replaces the whole text. The change is turned into one edit of the
// differing middle so that the old tree can still be reused.
func (d *Doc) SetText(src []byte) {
	pre := 0
	for pre < len(src) && pre < len(d.src) && src[pre] == d.src[pre] {
		pre++
	}
	suf := 0
	for suf < len(src)-pre && suf < len(d.src)-pre && src[len(src)-1-suf] == d.src[len(d.src)-1-suf] {
		suf++
	}
	if pre == len(src) && pre == len(d.src) {
		return
	}
	_ = d.Apply(Edit{Start: pre, End: len(d.src) - suf, Text: src[pre : len(src)-suf]})
}

func (d *Doc) reparse(old *sitter.Tree) {
	d.file = nil
	tree, err := parse(d.parser, old, d.src)
	if err != nil {
		// A parser that failed may keep a poisoned state: replace it and
		// parse from scratch.
		d.parser.Close()
		d.parser = newParser()
		tree, err = parse(d.parser, nil, d.src)
	}
	if d.tree != nil && d.tree != tree {
		d.tree.Close()
	}
	if err != nil {
		d.tree = nil
		return
	}
	d.tree = tree
}

// File returns the plain syntax of the current text.
func (d *Doc) File() *File {
	if d.file == nil {
		if d.tree == nil {
			d.file = errorFile(d.src, nil)
		} else {
			d.file = convertTree(d.tree, d.src)
		}
	}
	return d.file
}

// SExpr is the tree-sitter S-expression of the current tree (for tests).
func (d *Doc) SExpr() string {
	if d.tree == nil {
		return ""
	}
	return d.tree.RootNode().String()
}

// Close frees the parser and tree.
func (d *Doc) Close() {
	if d.tree != nil {
		d.tree.Close()
		d.tree = nil
	}
	if d.parser != nil {
		d.parser.Close()
		d.parser = nil
	}
}

// pointAt computes the tree-sitter point (row, byte column) of offset off.
func pointAt(src []byte, off int) sitter.Point {
	row := bytes.Count(src[:off], []byte{'\n'})
	col := off - (bytes.LastIndexByte(src[:off], '\n') + 1)
	return sitter.Point{Row: uint32(row), Column: uint32(col)}
}
