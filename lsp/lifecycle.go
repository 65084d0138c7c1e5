package lsp

import (
	"context"
	"encoding/json"
	"slices"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Lifecycle: initialize, initialized, shutdown, exit, $/setTrace, and
// workspace folders.

type lifeState int

const (
	stateNew lifeState = iota
	stateRunning
	stateShutdown
)

// lifecycle is the connection state, read by handlers and by document
// goroutines alike.
type lifecycle struct {
	mu       sync.Mutex
	state    lifeState
	shutdown bool // a shutdown request was received (in stream order)
	caps     clientCaps
	roots    []string // workspace folder paths, in the client's order
}

// clientCaps is what lockwise adapts to, distilled from the client's capabilities.
type clientCaps struct {
	name string // clientInfo.name, for logs

	applyEdit        bool // workspace/applyEdit
	documentChanges  bool // versioned edits in WorkspaceEdit.documentChanges
	createFiles      bool // CreateFile in documentChanges
	configuration    bool // workspace/configuration
	codeLensRefresh  bool // workspace/codeLens/refresh
	watchFiles       bool // client/registerCapability of workspace/didChangeWatchedFiles
	workDoneProgress bool // window/workDoneProgress/create and $/progress

	markdownHover       bool
	markdownCompletion  bool // completion item documentation in markdown
	hierarchicalSymbols bool

	actionLiterals bool // CodeAction literals, not just Commands
	actionDisabled bool // CodeAction.disabled
	actionResolve  bool // codeAction/resolve of "edit"
}

func capsOf(c clientCapabilities) clientCaps {
	ws, td := c.Workspace, c.TextDocument
	caps := clientCaps{
		applyEdit:       ws.ApplyEdit,
		documentChanges: ws.WorkspaceEdit.DocumentChanges,
		// Neovim 0.7 advertises resourceOperations without documentChanges
		// and applies documentChanges anyway (editor-clients.md §1.6):
		// resource operations only exist inside documentChanges, so
		// advertising "create" implies them.
		createFiles:         slices.Contains(ws.WorkspaceEdit.ResourceOperations, "create"),
		configuration:       ws.Configuration,
		codeLensRefresh:     ws.CodeLens.RefreshSupport,
		watchFiles:          ws.DidChangeWatchedFiles.DynamicRegistration,
		workDoneProgress:    c.Window.WorkDoneProgress,
		markdownCompletion:  slices.Contains(td.Completion.CompletionItem.DocumentationFormat, string(protocol.Markdown)),
		hierarchicalSymbols: td.DocumentSymbol.HierarchicalDocumentSymbolSupport,
		actionLiterals:      len(td.CodeAction.CodeActionLiteralSupport) > 0 && !isNull(td.CodeAction.CodeActionLiteralSupport),
		actionDisabled:      td.CodeAction.DisabledSupport,
		actionResolve:       slices.Contains(td.CodeAction.ResolveSupport.Properties, "edit"),
	}
	if caps.createFiles {
		caps.documentChanges = true
	}
	// contentFormat is in order of preference (gopls takes the first it
	// knows). Without it, plain text is the safe choice.
	for _, f := range td.Hover.ContentFormat {
		if f == string(protocol.Markdown) {
			caps.markdownHover = true
			break
		}
		if f == string(protocol.PlainText) {
			break
		}
	}
	return caps
}

// admit says whether a message may be handled in the current state.
// exit and $/cancelRequest never get here (see server.front).
func (l *lifecycle) admit(method string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch l.state {
	case stateNew:
		if method == protocol.MethodInitialize {
			return nil
		}
		return jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "lockwise: the first request must be initialize, got "+method)
	case stateRunning:
		if method == protocol.MethodInitialize {
			return jsonrpc2.NewError(jsonrpc2.InvalidRequest, "lockwise: initialize was already received")
		}
		return nil
	default:
		return jsonrpc2.NewError(jsonrpc2.InvalidRequest, "lockwise: the server is shut down, only exit is accepted")
	}
}

func (l *lifecycle) clientCaps() clientCaps {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.caps
}

func (l *lifecycle) workspaceRoots() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.roots)
}

func (l *lifecycle) sawShutdown() {
	l.mu.Lock()
	l.shutdown = true
	l.mu.Unlock()
}

func (s *server) shutdownSeen() bool {
	s.life.mu.Lock()
	defer s.life.mu.Unlock()
	return s.life.shutdown
}

func (s *server) initialize(ctx context.Context, raw json.RawMessage) (any, error) {
	var p initializeParams
	problem, err := decodeLenient(raw, &p)
	if err != nil {
		return nil, err
	}
	if problem != nil {
		s.log.Warn("initialize: some client capabilities were not understood", "problem", problem)
	}
	caps := capsOf(p.Capabilities)
	if p.ClientInfo != nil {
		caps.name = p.ClientInfo.Name + " " + p.ClientInfo.Version
	}
	var roots []string
	for _, f := range p.WorkspaceFolders {
		if path, ok := uriToPath(f.URI); ok {
			roots = append(roots, path)
		}
	}
	if len(roots) == 0 {
		if path, ok := uriToPath(p.RootURI); ok {
			roots = append(roots, path)
		} else if p.RootPath != "" {
			roots = append(roots, p.RootPath)
		}
	}

	s.life.mu.Lock()
	s.life.state = stateRunning
	s.life.caps = caps
	s.life.roots = roots
	s.life.mu.Unlock()
	s.setSettingsLayer(layerInit, p.InitializationOptions)
	s.log.Info("initialize", "client", caps.name, "roots", roots, "caps", caps)

	var actions any = true
	if caps.actionLiterals {
		// CodeActionOptions may only be returned to clients that support
		// code action literals (LSP 3.16).
		actions = &protocol.CodeActionOptions{
			CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix, protocol.RefactorRewrite, protocol.Source},
			ResolveProvider: true,
		}
	}
	return &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: &protocol.TextDocumentSyncOptions{
				OpenClose: true,
				Change:    protocol.TextDocumentSyncKindIncremental,
				Save:      &protocol.SaveOptions{},
			},
			HoverProvider:          true,
			DefinitionProvider:     true,
			ReferencesProvider:     true,
			CompletionProvider:     &protocol.CompletionOptions{TriggerCharacters: []string{":", "("}},
			CodeActionProvider:     actions,
			CodeLensProvider:       &protocol.CodeLensOptions{},
			DocumentSymbolProvider: true,
			ExecuteCommandProvider: &protocol.ExecuteCommandOptions{Commands: []string{CommandApplyFix, CommandExplain}},
			Workspace: &protocol.ServerCapabilitiesWorkspace{
				WorkspaceFolders: &protocol.ServerCapabilitiesWorkspaceFolders{Supported: true, ChangeNotifications: true},
			},
		},
		ServerInfo: &protocol.ServerInfo{Name: "lockwise", Version: s.opts.Version},
	}, nil
}

// initialized accepts any params: v0.12 drops the notification when they
// are null, and the configuration pull would never happen.
//
// It starts the workspace model: the projects of the workspace folders are
// indexed in the background (requests never wait for it), and the client
// is asked to report changes of the files the model reads.
func (s *server) initialized(ctx context.Context, _ json.RawMessage) (any, error) {
	caps := s.life.clientCaps()
	if caps.configuration {
		s.pullConfiguration()
	}
	s.index.launch()
	s.indexWorkspace()
	if caps.watchFiles {
		s.goBackground(s.registerWatchers)
	}
	return nil, nil
}

// shutdown stops background work at once (no diagnostics are published
// after it) and tolerates any params: eglot sends null and v0.12 rejects
// "params": {} (STYLE.md 4.1.10).
func (s *server) shutdown(ctx context.Context, _ json.RawMessage) (any, error) {
	s.life.mu.Lock()
	s.life.state = stateShutdown
	s.life.shutdown = true
	s.life.mu.Unlock()
	s.cancel()
	return nil, nil
}

// exit ends Serve, which picks the exit status from shutdownSeen.
func (s *server) exit() {
	s.exitOnce.Do(func() { close(s.exited) })
}

// SetTrace accepts $/setTrace (VS Code sends it); lockwise has no trace output.
func (s *server) SetTrace(ctx context.Context, p *protocol.SetTraceParams) error {
	s.log.Debug("$/setTrace", "value", p.Value)
	return nil
}

func (s *server) DidChangeWorkspaceFolders(ctx context.Context, p *protocol.DidChangeWorkspaceFoldersParams) error {
	var removed []string
	s.life.mu.Lock()
	for _, f := range p.Event.Removed {
		if path, ok := uriToPath(f.URI); ok {
			s.life.roots = slices.DeleteFunc(s.life.roots, func(r string) bool { return r == path })
			removed = append(removed, path)
		}
	}
	for _, f := range p.Event.Added {
		if path, ok := uriToPath(f.URI); ok && !slices.Contains(s.life.roots, path) {
			s.life.roots = append(s.life.roots, path)
		}
	}
	s.life.mu.Unlock()
	for _, path := range removed {
		s.index.dropUnder(path)
	}
	s.reclassifyAll()
	s.indexWorkspace() // new folders; the projects already loaded are kept
	return nil
}
