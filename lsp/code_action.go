package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Code actions: every fix of every diagnostic overlapping the requested
// range, filtered by context.only, plus a source.fixAll action on request.
//
// Diagnostics are matched by range overlap, not only through
// context.diagnostics: eglot sends none for an empty range and Neovim 0.7
// puts byte columns in them (editor-clients.md §1.7, §2.6).
//
// Each action carries its edit eagerly (eglot 1.9 has no codeAction/resolve)
// and data for codeAction/resolve. Fixes that create files use CreateFile
// in documentChanges when the client supports it; otherwise they become
// the lockwise.applyFix command, and when the client cannot apply edits at
// all, a disabled action that says why.

// FixAllKind is the kind of the action applying every preferred quick fix.
const FixAllKind = "source.fixAll.lockwise"

func (s *server) codeAction(ctx context.Context, raw json.RawMessage) (any, error) {
	var p codeActionParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	actions := []codeAction{}
	snap, err := s.snapshotOf(ctx, p.TextDocument.URI)
	if snap == nil {
		return actions, err
	}
	start, end, err := snap.mapper.RangeOffsets(p.Range)
	if err != nil {
		s.log.Info("code action range outside the text", "uri", snap.uri, "error", err)
		return actions, nil
	}
	caps := s.life.clientCaps()
	for i, d := range snap.analysis.Diagnostics {
		if !snap.diagnosticMatches(i, start, end, p.Context.Diagnostics) {
			continue
		}
		for j, fix := range d.Fixes {
			if kindMatches(fixKind(fix), p.Context.Only) {
				actions = append(actions, fixAction(snap, caps, i, j, fix))
			}
		}
	}
	if len(p.Context.Only) > 0 && kindMatches(FixAllKind, p.Context.Only) {
		if fix, ok := snap.fixAll(); ok {
			actions = append(actions, fixAction(snap, caps, -1, 0, fix))
		}
	}
	if !caps.actionLiterals {
		return commandsOf(actions), nil
	}
	return actions, nil
}

// resolveCodeAction fills in the edit of an action from its data. The
// document must still be at the version the action was computed for. The
// action goes back as the client sent it, with edit, command and disabled
// recomputed: fields lockwise does not model survive the round trip.
func (s *server) resolveCodeAction(ctx context.Context, raw json.RawMessage) (any, error) {
	var fields map[string]json.RawMessage
	if err := decodeParams(raw, &fields); err != nil {
		return nil, err
	}
	var ref fixRef
	if data, ok := fields["data"]; !ok || json.Unmarshal(data, &ref) != nil || ref.URI == "" {
		return fields, nil // not one of ours, or nothing to resolve
	}
	snap, fix, err := s.lookupFix(ctx, ref)
	if err != nil {
		return nil, err
	}
	a := codeAction{Title: fix.Title, Data: &ref}
	completeAction(&a, snap, s.life.clientCaps(), fix)
	delete(fields, "edit")
	delete(fields, "command")
	delete(fields, "disabled")
	for key, v := range map[string]any{"edit": a.Edit, "command": a.Command, "disabled": a.Disabled} {
		if data, _ := json.Marshal(v); string(data) != "null" {
			fields[key] = data
		}
	}
	return fields, nil
}

// lookupFix finds the fix a fixRef names in the current analysis.
func (s *server) lookupFix(ctx context.Context, ref fixRef) (*snapshot, analysis.Fix, error) {
	snap, err := s.snapshotOf(ctx, ref.URI)
	if err != nil {
		return nil, analysis.Fix{}, err
	}
	modified := func(why string) error {
		return jsonrpc2.NewError(protocol.CodeContentModified, "lockwise: "+why+"; ask for code actions again")
	}
	if snap == nil {
		return nil, analysis.Fix{}, modified(ref.URI + " is not open or not analysed yet")
	}
	if snap.version != ref.Version {
		return nil, analysis.Fix{}, modified(fmt.Sprintf("the document changed (version %d, the fix was for %d)", snap.version, ref.Version))
	}
	var fix analysis.Fix
	var ok bool
	if ref.Diag == -1 {
		fix, ok = snap.fixAll()
	} else if ref.Diag >= 0 && ref.Diag < len(snap.analysis.Diagnostics) {
		fixes := snap.analysis.Diagnostics[ref.Diag].Fixes
		if ref.Fix >= 0 && ref.Fix < len(fixes) {
			fix, ok = fixes[ref.Fix], true
		}
	}
	if !ok || fix.Title != ref.Title {
		return nil, analysis.Fix{}, modified("the fix " + fmt.Sprintf("%q", ref.Title) + " is no longer offered")
	}
	return snap, fix, nil
}

// diagnosticMatches says whether diagnostic i concerns the requested
// range: it overlaps [start, end] (ends included, so a cursor at either
// end counts), or the client listed it in context.diagnostics (matched by
// code, message and line, since columns may be wrong).
func (snap *snapshot) diagnosticMatches(i, start, end int, listed []contextDiagnostic) bool {
	d := snap.analysis.Diagnostics[i]
	if d.Start <= end && start <= d.End {
		return true
	}
	pd := snap.diagnostics[i]
	for _, c := range listed {
		if c.Message == pd.Message && fmt.Sprint(c.Code) == fmt.Sprint(pd.Code) && c.Range.Start.Line == pd.Range.Start.Line {
			return true
		}
	}
	return false
}

func fixKind(f analysis.Fix) string {
	if f.Kind == "" {
		return string(analysis.QuickFix)
	}
	return string(f.Kind)
}

// kindMatches applies context.only hierarchically: "refactor" admits
// "refactor.rewrite.expandContract" (gopls). Without only, every kind
// but source actions is offered; those are for explicit requests (on
// save, or the editor's Source Action menu).
func kindMatches(kind string, only []string) bool {
	if len(only) == 0 {
		return kind != "source" && !strings.HasPrefix(kind, "source.")
	}
	for _, o := range only {
		if o == "" || kind == o || strings.HasPrefix(kind, o+".") {
			return true
		}
	}
	return false
}

// fixAction builds the action for fix, which is fix j of diagnostic i, or
// the fix-all fix when i is -1.
func fixAction(snap *snapshot, caps clientCaps, i, j int, fix analysis.Fix) codeAction {
	a := codeAction{Title: fix.Title, Kind: fixKind(fix)}
	if i >= 0 {
		a.Diagnostics = []protocol.Diagnostic{snap.diagnostics[i]}
		a.IsPreferred = j == 0 && a.Kind == string(analysis.QuickFix)
	}
	a.Data = &fixRef{URI: snap.uri, Version: snap.version, Diag: i, Fix: j, Title: fix.Title}
	completeAction(&a, snap, caps, fix)
	return a
}

// completeAction gives the action its edit, or the command or the
// disabled reason that replaces it for this client.
func completeAction(a *codeAction, snap *snapshot, caps clientCaps, fix analysis.Fix) {
	edit, err := fixEdit(snap, caps, fix, false)
	switch {
	case err == nil:
		a.Edit = edit
	case errors.Is(err, errCannotCreate) && caps.applyEdit:
		a.Command = applyFixCommand(a.Title, a.Data)
	case caps.actionDisabled:
		a.Disabled = &protocol.CodeActionDisable{Reason: cannotApply(fix, err)}
	default:
		// Running the command explains, in a message, why nothing happens.
		a.Command = applyFixCommand(a.Title, a.Data)
	}
}

func applyFixCommand(title string, ref *fixRef) *protocol.Command {
	return &protocol.Command{Title: title, Command: CommandApplyFix, Arguments: []interface{}{ref}}
}

// commandsOf turns actions into bare Commands, for clients without code
// action literals (LSP < 3.8): they can only run a command.
func commandsOf(actions []codeAction) []protocol.Command {
	out := []protocol.Command{}
	for _, a := range actions {
		if a.Disabled == nil {
			out = append(out, *applyFixCommand(a.Title, a.Data))
		}
	}
	return out
}
