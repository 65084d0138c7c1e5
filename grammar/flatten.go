package grammar

/*
#include <stdint.h>
#include <stdbool.h>

// The tree-sitter C API, as declared in the api.h of the pinned
// smacker/go-tree-sitter; the symbols are linked from that package.
typedef struct TSTree TSTree;
typedef struct TSNode { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct TSTreeCursor { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;
typedef uint16_t TSSymbol;

TSNode ts_tree_root_node(const TSTree *self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
TSSymbol ts_node_symbol(TSNode self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
bool ts_node_is_named(TSNode self);
bool ts_node_is_missing(TSNode self);
bool ts_node_is_error(TSNode self);
uint32_t ts_node_child_count(TSNode self);

// lw_flatten writes the tree in pre-order, four words per node: symbol and
// flags, start byte, end byte, child count. It returns the number of words
// the whole tree needs; when that exceeds cap, only cap words were written.
static int lw_flatten(const TSTree *tree, uint32_t *out, int cap) {
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	int n = 0;
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&c);
		if (n + 4 <= cap) {
			uint32_t w = ts_node_symbol(node);
			if (ts_node_is_named(node)) w |= 1u << 16;
			if (ts_node_is_missing(node)) w |= 1u << 17;
			if (ts_node_is_error(node)) w |= 1u << 18;
			out[n] = w;
			out[n + 1] = ts_node_start_byte(node);
			out[n + 2] = ts_node_end_byte(node);
			out[n + 3] = ts_node_child_count(node);
		}
		n += 4;
		if (ts_tree_cursor_goto_first_child(&c)) continue;
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!ts_tree_cursor_goto_parent(&c)) {
				ts_tree_cursor_delete(&c);
				return n;
			}
		}
	}
}
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"

	sitter "github.com/smacker/go-tree-sitter"
)

const (
	flagNamed   = 1 << 16
	flagMissing = 1 << 17
	flagError   = 1 << 18
)

// flatTree is a tree-sitter tree copied out in one C call: walking it
// costs no cgo call and no allocation per node, unlike the binding's Node
// API (one call per accessor and a map entry per node).
type flatTree struct {
	words []uint32 // 4 per node, pre-order
	kids  []int32  // children indices of every node, grouped by parent
	first []int32  // first[i]: offset in kids of node i's children
}

func (t *flatTree) len() int             { return len(t.words) / 4 }
func (t *flatTree) symbol(i int) int     { return int(t.words[4*i] & 0xffff) }
func (t *flatTree) named(i int) bool     { return t.words[4*i]&flagNamed != 0 }
func (t *flatTree) missing(i int) bool   { return t.words[4*i]&flagMissing != 0 }
func (t *flatTree) isError(i int) bool   { return t.words[4*i]&flagError != 0 }
func (t *flatTree) start(i int) int      { return int(t.words[4*i+1]) }
func (t *flatTree) end(i int) int        { return int(t.words[4*i+2]) }
func (t *flatTree) childCount(i int) int { return int(t.words[4*i+3]) }
func (t *flatTree) children(i int) []int32 {
	f := t.first[i]
	return t.kids[f : f+int32(t.childCount(i))]
}

// treePtr reads the C tree pointer out of the binding's Tree. The pinned
// binding keeps it as the first field of BaseTree; TestFlattenMatchesBinding
// checks the copy against the binding's own walk.
func treePtr(tree *sitter.Tree) *C.TSTree {
	return *(**C.TSTree)(unsafe.Pointer(tree.BaseTree))
}

// flatPool recycles flat trees: they live only while a tree is converted.
var flatPool = sync.Pool{New: func() any { return new(flatTree) }}

// flatten copies tree out; release the result with t.release when done.
func flatten(tree *sitter.Tree, srcLen int) *flatTree {
	t := flatPool.Get().(*flatTree)
	capWords := 4 * (srcLen/3 + 64) // about one node per 3 bytes of Elixir; grown on demand
	for {
		if cap(t.words) < capWords {
			t.words = make([]uint32, capWords)
		}
		words := t.words[:cap(t.words)]
		n := int(C.lw_flatten(treePtr(tree), (*C.uint32_t)(unsafe.Pointer(&words[0])), C.int(len(words))))
		runtime.KeepAlive(tree)
		if n <= len(words) {
			t.index(words[:n])
			return t
		}
		capWords = n
	}
}

func (t *flatTree) release() { flatPool.Put(t) }

// index computes where each node's children are, from the pre-order list
// and the child counts.
func (t *flatTree) index(words []uint32) {
	t.words = words
	n := len(words) / 4
	if cap(t.first) < n {
		t.first = make([]int32, n)
	}
	t.first = t.first[:n]
	t.kids = t.kids[:0]
	// Reserve each node's children slots in pre-order, then fill them as the
	// children are met: a stack of (node, filled) tracks the open parents.
	type open struct{ node, filled int32 }
	stack := make([]open, 0, 64)
	for i := 0; i < n; i++ {
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if int(top.filled) < t.childCount(int(top.node)) {
				t.kids[t.first[top.node]+top.filled] = int32(i)
				top.filled++
				break
			}
			stack = stack[:len(stack)-1]
		}
		t.first[i] = int32(len(t.kids))
		for k := 0; k < t.childCount(i); k++ {
			t.kids = append(t.kids, -1)
		}
		if t.childCount(i) > 0 {
			stack = append(stack, open{node: int32(i)})
		}
	}
}
