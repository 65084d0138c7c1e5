package lsp

import (
	"encoding/json"
	"errors"
	"fmt"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Local JSON types for what protocol v0.12.0 cannot express or decodes
// wrongly (STYLE.md 4.1). They are decoded with encoding/json.

// initializeParams is the part of InitializeParams lockwise reads. It is
// decoded leniently (see decodeLenient): v0.12's InitializeParams predates
// LSP 3.17, and a single field of an unexpected type there would fail the
// whole initialize.
type initializeParams struct {
	RootURI               string             `json:"rootUri"`
	RootPath              string             `json:"rootPath"`
	WorkspaceFolders      []workspaceFolder  `json:"workspaceFolders"`
	InitializationOptions json.RawMessage    `json:"initializationOptions"`
	Capabilities          clientCapabilities `json:"capabilities"`
	ClientInfo            *struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"clientInfo"`
}

type workspaceFolder struct {
	URI  string `json:"uri"`
	Name string `json:"name"`
}

// clientCapabilities lists the client capabilities lockwise adapts to.
type clientCapabilities struct {
	Workspace struct {
		ApplyEdit     bool `json:"applyEdit"`
		WorkspaceEdit struct {
			DocumentChanges    bool     `json:"documentChanges"`
			ResourceOperations []string `json:"resourceOperations"`
		} `json:"workspaceEdit"`
		Configuration    bool `json:"configuration"`
		WorkspaceFolders bool `json:"workspaceFolders"`
		CodeLens         struct {
			RefreshSupport bool `json:"refreshSupport"`
		} `json:"codeLens"`
		DidChangeWatchedFiles struct {
			DynamicRegistration bool `json:"dynamicRegistration"`
		} `json:"didChangeWatchedFiles"`
	} `json:"workspace"`
	Window struct {
		WorkDoneProgress bool `json:"workDoneProgress"`
	} `json:"window"`
	TextDocument struct {
		Hover struct {
			ContentFormat []string `json:"contentFormat"`
		} `json:"hover"`
		Completion struct {
			CompletionItem struct {
				DocumentationFormat []string `json:"documentationFormat"`
			} `json:"completionItem"`
		} `json:"completion"`
		DocumentSymbol struct {
			HierarchicalDocumentSymbolSupport bool `json:"hierarchicalDocumentSymbolSupport"`
		} `json:"documentSymbol"`
		CodeAction struct {
			CodeActionLiteralSupport json.RawMessage `json:"codeActionLiteralSupport"`
			DisabledSupport          bool            `json:"disabledSupport"`
			DataSupport              bool            `json:"dataSupport"`
			ResolveSupport           struct {
				Properties []string `json:"properties"`
			} `json:"resolveSupport"`
		} `json:"codeAction"`
	} `json:"textDocument"`
}

// didChangeParams decodes textDocument/didChange with Range as a pointer:
// v0.12's TextDocumentContentChangeEvent.Range is a value, so a full-text
// change ({"text": ...}) would decode as an insertion at 0:0 (STYLE.md 4.1.2).
type didChangeParams struct {
	TextDocument struct {
		URI     string `json:"uri"`
		Version *int32 `json:"version"`
	} `json:"textDocument"`
	ContentChanges []contentChange `json:"contentChanges"`
}

type contentChange struct {
	Range *protocol.Range `json:"range"` // nil: the whole text is replaced
	Text  string          `json:"text"`
}

type didChangeConfigurationParams struct {
	Settings json.RawMessage `json:"settings"`
}

type configurationParams struct {
	Items []configurationItem `json:"items"`
}

type configurationItem struct {
	ScopeURI string `json:"scopeUri,omitempty"`
	Section  string `json:"section,omitempty"`
}

// codeActionParams keeps the context diagnostics minimal: only their range,
// code and message are used, and a client's extra or odd fields must not
// fail the request.
type codeActionParams struct {
	TextDocument struct {
		URI string `json:"uri"`
	} `json:"textDocument"`
	Range   protocol.Range `json:"range"`
	Context struct {
		Diagnostics []contextDiagnostic `json:"diagnostics"`
		Only        []string            `json:"only"`
	} `json:"context"`
}

type contextDiagnostic struct {
	Range   protocol.Range `json:"range"`
	Code    any            `json:"code"`
	Message string         `json:"message"`
}

// codeAction is protocol.CodeAction with our own WorkspaceEdit, which can
// hold CreateFile operations (v0.12's DocumentChanges is []TextDocumentEdit,
// STYLE.md 4.1.3), and typed data.
type codeAction struct {
	Title       string                      `json:"title"`
	Kind        string                      `json:"kind,omitempty"`
	Diagnostics []protocol.Diagnostic       `json:"diagnostics,omitempty"`
	IsPreferred bool                        `json:"isPreferred,omitempty"`
	Disabled    *protocol.CodeActionDisable `json:"disabled,omitempty"`
	Edit        *workspaceEdit              `json:"edit,omitempty"`
	Command     *protocol.Command           `json:"command,omitempty"`
	Data        *fixRef                     `json:"data,omitempty"`
}

// fixRef identifies a fix of one analysed version. It travels as code
// action data (codeAction/resolve) and as the argument of lockwise.applyFix.
// Title guards against an index that now points at a different fix.
type fixRef struct {
	URI     string `json:"uri"`
	Version int32  `json:"version"`
	Diag    int    `json:"diag"` // index into the version's diagnostics; -1 for fix-all
	Fix     int    `json:"fix"`
	Title   string `json:"title"`
}

// workspaceEdit is a WorkspaceEdit whose documentChanges may mix
// textDocumentEdit and createFile values.
type workspaceEdit struct {
	Changes         map[protocol.DocumentURI][]protocol.TextEdit `json:"changes,omitempty"`
	DocumentChanges []any                                        `json:"documentChanges,omitempty"`
}

type textDocumentEdit struct {
	TextDocument versionedDocument   `json:"textDocument"`
	Edits        []protocol.TextEdit `json:"edits"`
}

// versionedDocument is an OptionalVersionedTextDocumentIdentifier: Version
// is null for a file that does not exist yet.
type versionedDocument struct {
	URI     protocol.DocumentURI `json:"uri"`
	Version *int32               `json:"version"`
}

type createFile struct {
	Kind    string               `json:"kind"` // "create"
	URI     protocol.DocumentURI `json:"uri"`
	Options *createFileOptions   `json:"options,omitempty"`
}

type createFileOptions struct {
	Overwrite      bool `json:"overwrite,omitempty"`
	IgnoreIfExists bool `json:"ignoreIfExists,omitempty"`
}

type applyWorkspaceEditParams struct {
	Label string        `json:"label,omitempty"`
	Edit  workspaceEdit `json:"edit"`
}

type applyWorkspaceEditResult struct {
	Applied       bool   `json:"applied"`
	FailureReason string `json:"failureReason,omitempty"`
}

// publishDiagnosticsParams has an int32 version, as document versions are
// (v0.12 uses uint32, STYLE.md 4.1.9), and no omitempty on Diagnostics:
// an empty list must go out as [], never null.
type publishDiagnosticsParams struct {
	URI         protocol.DocumentURI  `json:"uri"`
	Version     *int32                `json:"version,omitempty"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
}

type executeCommandParams struct {
	Command   string            `json:"command"`
	Arguments []json.RawMessage `json:"arguments"`
}

type workDoneProgressCreateParams struct {
	Token string `json:"token"`
}

type progressParams struct {
	Token string `json:"token"`
	Value any    `json:"value"`
}

// workDoneProgress is the value of a $/progress: begin, report or end.
// v0.12's types drop a percentage of 0 (omitempty), which a begin needs.
type workDoneProgress struct {
	Kind       string  `json:"kind"`
	Title      string  `json:"title,omitempty"`
	Message    string  `json:"message,omitempty"`
	Percentage *uint32 `json:"percentage,omitempty"`
}

// cancelParams keeps the id raw: v0.12 decodes it into interface{} and then
// only handles int32 and string, which a JSON number never is (STYLE.md 4.1.5).
type cancelParams struct {
	ID json.RawMessage `json:"id"`
}

// decodeParams decodes the params of a request strictly: a malformed
// request is answered with InvalidParams.
func decodeParams(raw json.RawMessage, v any) error {
	if len(raw) == 0 || isNull(raw) {
		return jsonrpc2.NewError(jsonrpc2.InvalidParams, "missing params")
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return jsonrpc2.NewError(jsonrpc2.InvalidParams, "invalid params: "+err.Error())
	}
	return nil
}

// decodeLenient decodes what it can: encoding/json skips a field of the
// wrong type and carries on, so a type error is reported but not fatal.
func decodeLenient(raw json.RawMessage, v any) (problem error, fatal error) {
	if len(raw) == 0 || isNull(raw) {
		return nil, nil
	}
	err := json.Unmarshal(raw, v)
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Errorf("ignored %s: %v", typeErr.Field, err), nil
	}
	if err != nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "invalid params: "+err.Error())
	}
	return nil, nil
}
