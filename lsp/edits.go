package lsp

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"go.lsp.dev/protocol"
)

// Fixes as workspace edits: byte-offset fixes become UTF-16 TextEdits,
// and new files become CreateFile operations when the client can create
// them (protocol v0.12 cannot express this, hence the local types in wire.go).

// errCannotCreate: the fix creates files and the client's code action
// edits cannot (no "create" in workspaceEdit.resourceOperations).
var errCannotCreate = errors.New("this editor cannot create files from a code action")

// fixEdit builds the WorkspaceEdit of a fix. Edits of the document are
// versioned when the client supports documentChanges, so a client whose
// text moved on rejects them. New files become CreateFile (never
// overwriting: an existing file makes the whole edit fail) followed by an
// edit inserting their content. Without "create" support fixEdit fails
// with errCannotCreate, unless loose is set: then new files are written as
// insertions into URIs that do not exist yet, which clients such as eglot
// apply by opening a buffer for the new file (lockwise.applyFix does this).
func fixEdit(snap *snapshot, caps clientCaps, fix analysis.Fix, loose bool) (*workspaceEdit, error) {
	if len(fix.NewFiles) > 0 && !caps.createFiles && !loose {
		return nil, errCannotCreate
	}
	docURI := protocol.DocumentURI(snap.uri)
	edits := make([]protocol.TextEdit, 0, len(fix.Edits))
	crlf := usesCRLF(snap.text)
	for _, e := range fix.Edits {
		text := e.NewText
		if crlf {
			text = toCRLF(text)
		}
		edits = append(edits, protocol.TextEdit{Range: snap.mapper.clampRange(e.Start, e.End), NewText: text})
	}
	w := &workspaceEdit{}
	if !caps.documentChanges {
		w.Changes = map[protocol.DocumentURI][]protocol.TextEdit{}
	}
	for _, nf := range fix.NewFiles {
		u, err := siblingURI(snap.uri, nf.Name)
		if err != nil {
			return nil, err
		}
		insert := []protocol.TextEdit{{NewText: nf.Content}}
		switch {
		case caps.createFiles:
			w.DocumentChanges = append(w.DocumentChanges,
				createFile{Kind: "create", URI: u},
				textDocumentEdit{TextDocument: versionedDocument{URI: u}, Edits: insert})
		case caps.documentChanges:
			w.DocumentChanges = append(w.DocumentChanges, textDocumentEdit{TextDocument: versionedDocument{URI: u}, Edits: insert})
		default:
			w.Changes[u] = insert
		}
	}
	if len(edits) > 0 {
		if caps.documentChanges {
			v := snap.version
			w.DocumentChanges = append(w.DocumentChanges, textDocumentEdit{TextDocument: versionedDocument{URI: docURI, Version: &v}, Edits: edits})
		} else {
			w.Changes[docURI] = edits
		}
	}
	return w, nil
}

// usesCRLF reports whether the text's lines end in "\r\n" (its first line
// decides, as editors do).
func usesCRLF(text []byte) bool {
	i := bytes.IndexByte(text, '\n')
	return i > 0 && text[i-1] == '\r'
}

// toCRLF makes the line breaks of an inserted text match a CRLF document:
// fixes are written with "\n".
func toCRLF(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// fixAll combines the preferred quick fix of every diagnostic into one
// fix, skipping fixes that create files, suppressions, and fixes whose
// edits would overlap one already taken.
func (snap *snapshot) fixAll() (analysis.Fix, bool) {
	all := analysis.Fix{Title: "Apply all lockwise quick fixes", Kind: FixAllKind}
	var taken [][2]int
	overlaps := func(e analysis.TextEdit) bool {
		for _, t := range taken {
			if e.Start < t[1] && t[0] < e.End || e.Start == t[0] {
				return true
			}
		}
		return false
	}
	for _, d := range snap.analysis.Diagnostics {
		for _, f := range d.Fixes {
			if fixKind(f) != string(analysis.QuickFix) || len(f.NewFiles) > 0 {
				continue
			}
			ok := true
			for _, e := range f.Edits {
				ok = ok && !overlaps(e)
			}
			if ok {
				for _, e := range f.Edits {
					taken = append(taken, [2]int{e.Start, e.End})
				}
				all.Edits = append(all.Edits, f.Edits...)
			}
			break // only the first (preferred) quick fix of a diagnostic
		}
	}
	if len(all.Edits) == 0 {
		return analysis.Fix{}, false
	}
	fixed, problem := validFix(all, len(snap.text))
	return fixed, problem == ""
}

// cannotApply is the message for a fix this client cannot apply.
func cannotApply(fix analysis.Fix, err error) string {
	if len(fix.NewFiles) == 0 {
		return fmt.Sprintf("lockwise cannot apply %q: %v", fix.Title, err)
	}
	names := make([]string, len(fix.NewFiles))
	for i, nf := range fix.NewFiles {
		names[i] = nf.Name
	}
	return fmt.Sprintf("lockwise cannot apply %q: it creates %s, and this editor supports neither file creation in workspace edits nor workspace/applyEdit (%v). Create the files by hand.",
		fix.Title, strings.Join(names, ", "), err)
}
