package lsp

import (
	"context"
	"path"

	"go.lsp.dev/protocol"
)

// workspace/didChangeWatchedFiles: the files the workspace model reads
// changed on disk (git checkout, a file created or deleted by the user or
// another tool). The server asks for them with client/registerCapability
// when the client supports dynamic registration; clients that send
// events unasked are served too.

// watchGlobs are the files the model reads: migrations, lib/ sources
// (Ecto schemas), the lockwise configuration and the project
// configuration (repo options such as migration_lock).
var watchGlobs = []string{"**/priv/**/migrations/*.exs", "**/lib/**/*.ex", "**/.lockwise.toml", "**/config/*.exs"}

func (s *server) DidChangeWatchedFiles(ctx context.Context, p *protocol.DidChangeWatchedFilesParams) error {
	var events []fileEvent
	for _, e := range p.Changes {
		if e != nil {
			events = append(events, fileEvent{uri: string(e.URI), kind: e.Type})
		}
	}
	// Reading and parsing files is disk work: it runs on the index
	// goroutine, in order, after any load in progress.
	s.index.push("file events", func(ctx context.Context) { s.applyFileEvents(events) })
	return nil
}

// registerWatchers asks the client to watch the model's files, plus the
// directories of custom migration globs. It runs in the background: the
// client answers later.
func (s *server) registerWatchers(ctx context.Context) {
	globs := append([]string(nil), watchGlobs...)
	for _, g := range s.settings.get().Migrations {
		if path.Ext(g) == "" {
			g += "/*.exs" // a directory glob
		}
		globs = append(globs, "**/"+g)
	}
	var watchers []protocol.FileSystemWatcher
	for _, g := range globs {
		watchers = append(watchers, protocol.FileSystemWatcher{GlobPattern: g})
	}
	params := &protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID:              "lockwise-watch",
		Method:          protocol.MethodWorkspaceDidChangeWatchedFiles,
		RegisterOptions: &protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: watchers},
	}}}
	if err := s.call(ctx, protocol.MethodClientRegisterCapability, params, nil); err != nil && ctx.Err() == nil {
		s.log.Warn("client/registerCapability of file watchers failed: changes on disk will be seen when files are opened", "error", err)
	}
}
