package lsp

import (
	"context"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// nyi answers every method of protocol.Server with MethodNotFound. The
// server embeds it, so protocol.Server is always satisfied and a method is
// implemented by adding one method on *server (buf's buflsp does the same).
// A nil embedded protocol.Server would panic on the first unimplemented call
// instead (STYLE.md 4.1.4).
//
// If this file stops compiling after a protocol upgrade, the interface
// changed: add or remove stubs to match.
type nyi struct{}

var _ protocol.Server = nyi{}

// notImplemented is the error for a method lockwise does not serve. It is a
// *jsonrpc2.Error built with NewError so that the code and the message both
// reach the client (STYLE.md 4.1.8).
func notImplemented(method string) error {
	return jsonrpc2.NewError(jsonrpc2.MethodNotFound, "lockwise does not implement "+method)
}

func (nyi) Initialize(context.Context, *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	return nil, notImplemented(protocol.MethodInitialize)
}

func (nyi) Initialized(context.Context, *protocol.InitializedParams) error {
	return notImplemented(protocol.MethodInitialized)
}

func (nyi) Shutdown(context.Context) error {
	return notImplemented(protocol.MethodShutdown)
}

func (nyi) Exit(context.Context) error {
	return notImplemented(protocol.MethodExit)
}

func (nyi) WorkDoneProgressCancel(context.Context, *protocol.WorkDoneProgressCancelParams) error {
	return notImplemented(protocol.MethodWorkDoneProgressCancel)
}

func (nyi) LogTrace(context.Context, *protocol.LogTraceParams) error {
	return notImplemented(protocol.MethodLogTrace)
}

func (nyi) SetTrace(context.Context, *protocol.SetTraceParams) error {
	return notImplemented(protocol.MethodSetTrace)
}

func (nyi) CodeAction(context.Context, *protocol.CodeActionParams) ([]protocol.CodeAction, error) {
	return nil, notImplemented(protocol.MethodTextDocumentCodeAction)
}

func (nyi) CodeLens(context.Context, *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	return nil, notImplemented(protocol.MethodTextDocumentCodeLens)
}

func (nyi) CodeLensResolve(context.Context, *protocol.CodeLens) (*protocol.CodeLens, error) {
	return nil, notImplemented(protocol.MethodCodeLensResolve)
}

func (nyi) ColorPresentation(context.Context, *protocol.ColorPresentationParams) ([]protocol.ColorPresentation, error) {
	return nil, notImplemented(protocol.MethodTextDocumentColorPresentation)
}

func (nyi) Completion(context.Context, *protocol.CompletionParams) (*protocol.CompletionList, error) {
	return nil, notImplemented(protocol.MethodTextDocumentCompletion)
}

func (nyi) CompletionResolve(context.Context, *protocol.CompletionItem) (*protocol.CompletionItem, error) {
	return nil, notImplemented(protocol.MethodCompletionItemResolve)
}

func (nyi) Declaration(context.Context, *protocol.DeclarationParams) ([]protocol.Location, error) {
	return nil, notImplemented(protocol.MethodTextDocumentDeclaration)
}

func (nyi) Definition(context.Context, *protocol.DefinitionParams) ([]protocol.Location, error) {
	return nil, notImplemented(protocol.MethodTextDocumentDefinition)
}

func (nyi) DidChange(context.Context, *protocol.DidChangeTextDocumentParams) error {
	return notImplemented(protocol.MethodTextDocumentDidChange)
}

func (nyi) DidChangeConfiguration(context.Context, *protocol.DidChangeConfigurationParams) error {
	return notImplemented(protocol.MethodWorkspaceDidChangeConfiguration)
}

func (nyi) DidChangeWatchedFiles(context.Context, *protocol.DidChangeWatchedFilesParams) error {
	return notImplemented(protocol.MethodWorkspaceDidChangeWatchedFiles)
}

func (nyi) DidChangeWorkspaceFolders(context.Context, *protocol.DidChangeWorkspaceFoldersParams) error {
	return notImplemented(protocol.MethodWorkspaceDidChangeWorkspaceFolders)
}

func (nyi) DidClose(context.Context, *protocol.DidCloseTextDocumentParams) error {
	return notImplemented(protocol.MethodTextDocumentDidClose)
}

func (nyi) DidOpen(context.Context, *protocol.DidOpenTextDocumentParams) error {
	return notImplemented(protocol.MethodTextDocumentDidOpen)
}

func (nyi) DidSave(context.Context, *protocol.DidSaveTextDocumentParams) error {
	return notImplemented(protocol.MethodTextDocumentDidSave)
}

func (nyi) DocumentColor(context.Context, *protocol.DocumentColorParams) ([]protocol.ColorInformation, error) {
	return nil, notImplemented(protocol.MethodTextDocumentDocumentColor)
}

func (nyi) DocumentHighlight(context.Context, *protocol.DocumentHighlightParams) ([]protocol.DocumentHighlight, error) {
	return nil, notImplemented(protocol.MethodTextDocumentDocumentHighlight)
}

func (nyi) DocumentLink(context.Context, *protocol.DocumentLinkParams) ([]protocol.DocumentLink, error) {
	return nil, notImplemented(protocol.MethodTextDocumentDocumentLink)
}

func (nyi) DocumentLinkResolve(context.Context, *protocol.DocumentLink) (*protocol.DocumentLink, error) {
	return nil, notImplemented(protocol.MethodDocumentLinkResolve)
}

func (nyi) DocumentSymbol(context.Context, *protocol.DocumentSymbolParams) ([]interface{}, error) {
	return nil, notImplemented(protocol.MethodTextDocumentDocumentSymbol)
}

func (nyi) ExecuteCommand(context.Context, *protocol.ExecuteCommandParams) (interface{}, error) {
	return nil, notImplemented(protocol.MethodWorkspaceExecuteCommand)
}

func (nyi) FoldingRanges(context.Context, *protocol.FoldingRangeParams) ([]protocol.FoldingRange, error) {
	return nil, notImplemented(protocol.MethodTextDocumentFoldingRange)
}

func (nyi) Formatting(context.Context, *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	return nil, notImplemented(protocol.MethodTextDocumentFormatting)
}

func (nyi) Hover(context.Context, *protocol.HoverParams) (*protocol.Hover, error) {
	return nil, notImplemented(protocol.MethodTextDocumentHover)
}

func (nyi) Implementation(context.Context, *protocol.ImplementationParams) ([]protocol.Location, error) {
	return nil, notImplemented(protocol.MethodTextDocumentImplementation)
}

func (nyi) OnTypeFormatting(context.Context, *protocol.DocumentOnTypeFormattingParams) ([]protocol.TextEdit, error) {
	return nil, notImplemented(protocol.MethodTextDocumentOnTypeFormatting)
}

func (nyi) PrepareRename(context.Context, *protocol.PrepareRenameParams) (*protocol.Range, error) {
	return nil, notImplemented(protocol.MethodTextDocumentPrepareRename)
}

func (nyi) RangeFormatting(context.Context, *protocol.DocumentRangeFormattingParams) ([]protocol.TextEdit, error) {
	return nil, notImplemented(protocol.MethodTextDocumentRangeFormatting)
}

func (nyi) References(context.Context, *protocol.ReferenceParams) ([]protocol.Location, error) {
	return nil, notImplemented(protocol.MethodTextDocumentReferences)
}

func (nyi) Rename(context.Context, *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	return nil, notImplemented(protocol.MethodTextDocumentRename)
}

func (nyi) SignatureHelp(context.Context, *protocol.SignatureHelpParams) (*protocol.SignatureHelp, error) {
	return nil, notImplemented(protocol.MethodTextDocumentSignatureHelp)
}

func (nyi) Symbols(context.Context, *protocol.WorkspaceSymbolParams) ([]protocol.SymbolInformation, error) {
	return nil, notImplemented(protocol.MethodWorkspaceSymbol)
}

func (nyi) TypeDefinition(context.Context, *protocol.TypeDefinitionParams) ([]protocol.Location, error) {
	return nil, notImplemented(protocol.MethodTextDocumentTypeDefinition)
}

func (nyi) WillSave(context.Context, *protocol.WillSaveTextDocumentParams) error {
	return notImplemented(protocol.MethodTextDocumentWillSave)
}

func (nyi) WillSaveWaitUntil(context.Context, *protocol.WillSaveTextDocumentParams) ([]protocol.TextEdit, error) {
	return nil, notImplemented(protocol.MethodTextDocumentWillSaveWaitUntil)
}

func (nyi) ShowDocument(context.Context, *protocol.ShowDocumentParams) (*protocol.ShowDocumentResult, error) {
	return nil, notImplemented(protocol.MethodShowDocument)
}

func (nyi) WillCreateFiles(context.Context, *protocol.CreateFilesParams) (*protocol.WorkspaceEdit, error) {
	return nil, notImplemented(protocol.MethodWillCreateFiles)
}

func (nyi) DidCreateFiles(context.Context, *protocol.CreateFilesParams) error {
	return notImplemented(protocol.MethodDidCreateFiles)
}

func (nyi) WillRenameFiles(context.Context, *protocol.RenameFilesParams) (*protocol.WorkspaceEdit, error) {
	return nil, notImplemented(protocol.MethodWillRenameFiles)
}

func (nyi) DidRenameFiles(context.Context, *protocol.RenameFilesParams) error {
	return notImplemented(protocol.MethodDidRenameFiles)
}

func (nyi) WillDeleteFiles(context.Context, *protocol.DeleteFilesParams) (*protocol.WorkspaceEdit, error) {
	return nil, notImplemented(protocol.MethodWillDeleteFiles)
}

func (nyi) DidDeleteFiles(context.Context, *protocol.DeleteFilesParams) error {
	return notImplemented(protocol.MethodDidDeleteFiles)
}

func (nyi) CodeLensRefresh(context.Context) error {
	return notImplemented(protocol.MethodCodeLensRefresh)
}

func (nyi) PrepareCallHierarchy(context.Context, *protocol.CallHierarchyPrepareParams) ([]protocol.CallHierarchyItem, error) {
	return nil, notImplemented(protocol.MethodTextDocumentPrepareCallHierarchy)
}

func (nyi) IncomingCalls(context.Context, *protocol.CallHierarchyIncomingCallsParams) ([]protocol.CallHierarchyIncomingCall, error) {
	return nil, notImplemented(protocol.MethodCallHierarchyIncomingCalls)
}

func (nyi) OutgoingCalls(context.Context, *protocol.CallHierarchyOutgoingCallsParams) ([]protocol.CallHierarchyOutgoingCall, error) {
	return nil, notImplemented(protocol.MethodCallHierarchyOutgoingCalls)
}

func (nyi) SemanticTokensFull(context.Context, *protocol.SemanticTokensParams) (*protocol.SemanticTokens, error) {
	return nil, notImplemented(protocol.MethodSemanticTokensFull)
}

func (nyi) SemanticTokensFullDelta(context.Context, *protocol.SemanticTokensDeltaParams) (interface{}, error) {
	return nil, notImplemented(protocol.MethodSemanticTokensFullDelta)
}

func (nyi) SemanticTokensRange(context.Context, *protocol.SemanticTokensRangeParams) (*protocol.SemanticTokens, error) {
	return nil, notImplemented(protocol.MethodSemanticTokensRange)
}

func (nyi) SemanticTokensRefresh(context.Context) error {
	return notImplemented(protocol.MethodSemanticTokensRefresh)
}

func (nyi) LinkedEditingRange(context.Context, *protocol.LinkedEditingRangeParams) (*protocol.LinkedEditingRanges, error) {
	return nil, notImplemented(protocol.MethodLinkedEditingRange)
}

func (nyi) Moniker(context.Context, *protocol.MonikerParams) ([]protocol.Moniker, error) {
	return nil, notImplemented(protocol.MethodMoniker)
}

func (nyi) Request(_ context.Context, method string, _ interface{}) (interface{}, error) {
	return nil, notImplemented(method)
}
