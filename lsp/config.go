package lsp

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
)

// Configuration: initializationOptions, workspace/configuration and
// workspace/didChangeConfiguration, layered in that order over the defaults.

type settingsLayer int

const (
	layerInit   settingsLayer = iota // initializationOptions
	layerPushed                      // didChangeConfiguration's settings, when not empty
	layerPulled                      // the client's answer to workspace/configuration
	numLayers
)

// settingsStore keeps each source's raw settings and the merged result.
// A source that sends a new object replaces its layer, so a key the user
// removed falls back to the layers below.
type settingsStore struct {
	mu      sync.Mutex
	layers  [numLayers]json.RawMessage
	current Settings
	pullSeq uint64 // the latest workspace/configuration request; older answers are dropped
}

func (st *settingsStore) init() { st.current = DefaultSettings() }

func (st *settingsStore) get() Settings {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.current
}

// setSettingsLayer replaces one layer and, when the merged settings
// change, re-classifies and re-analyses every open document.
func (s *server) setSettingsLayer(l settingsLayer, raw json.RawMessage) {
	s.settings.mu.Lock()
	old, problems := s.settings.setLocked(l, raw)
	s.settings.mu.Unlock()
	s.settingsUpdated(old, problems)
}

// setLocked replaces a layer and returns the settings before the change.
func (st *settingsStore) setLocked(l settingsLayer, raw json.RawMessage) (old Settings, problems []string) {
	st.layers[l] = raw
	next := DefaultSettings()
	for _, layer := range st.layers {
		var p []string
		next, p = next.merge(layer)
		problems = append(problems, p...)
	}
	old, st.current = st.current, next
	return old, problems
}

func (s *server) settingsUpdated(old Settings, problems []string) {
	for _, p := range problems {
		s.log.Warn("settings", "problem", p)
	}
	now := s.settings.get()
	if now.equal(old) {
		return
	}
	s.log.Info("settings changed", "settings", now)
	if !slices.Equal(now.Migrations, old.Migrations) {
		// Other directories are migrations now: rebuild the model.
		s.reloadConfiguration("the migrations setting")
	}
	s.reclassifyAll()
	// Editors do not ask for code lenses again by themselves when only
	// the setting changed.
	if now.LockHints != old.LockHints {
		s.refreshCodeLenses()
	}
}

// refreshCodeLenses asks the client to request code lenses again, when it
// can (workspace/codeLens/refresh) and shows them.
func (s *server) refreshCodeLenses() {
	if !s.life.clientCaps().codeLensRefresh {
		return
	}
	s.goBackground(func(ctx context.Context) {
		if err := s.call(ctx, "workspace/codeLens/refresh", nil, nil); err != nil && ctx.Err() == nil {
			s.log.Info("workspace/codeLens/refresh failed", "error", err)
		}
	})
}

// didChangeConfiguration tolerates null params and {"settings": {}}
// (eglot, right after initialized, editor-clients.md §2.8): an empty push
// means "ask me", so the server pulls when the client can answer.
func (s *server) didChangeConfiguration(ctx context.Context, raw json.RawMessage) (any, error) {
	var p didChangeConfigurationParams
	if problem, err := decodeLenient(raw, &p); err != nil || problem != nil {
		s.log.Warn("didChangeConfiguration: unreadable settings ignored", "error", err, "problem", problem)
	}
	if len(settingsObject(p.Settings)) > 0 {
		s.setSettingsLayer(layerPushed, p.Settings)
	}
	if s.life.clientCaps().configuration {
		s.pullConfiguration()
	}
	return nil, nil
}

// pullConfiguration asks the client for the "lockwise" section in the
// background: a handler waiting for the client's answer would hold up
// every message queued behind it (STYLE.md 4.1.6). A null answer (eglot
// answers [null]) clears the pulled layer.
func (s *server) pullConfiguration() {
	s.settings.mu.Lock()
	s.settings.pullSeq++
	seq := s.settings.pullSeq
	s.settings.mu.Unlock()
	s.goBackground(func(ctx context.Context) {
		var result []json.RawMessage
		params := &configurationParams{Items: []configurationItem{{Section: "lockwise"}}}
		if err := s.call(ctx, "workspace/configuration", params, &result); err != nil {
			if ctx.Err() == nil {
				s.log.Warn("workspace/configuration failed", "error", err)
			}
			return
		}
		var raw json.RawMessage
		if len(result) > 0 {
			raw = result[0]
		}
		s.settings.mu.Lock()
		if seq != s.settings.pullSeq {
			s.settings.mu.Unlock()
			return // a newer request is on its way
		}
		old, problems := s.settings.setLocked(layerPulled, raw)
		s.settings.mu.Unlock()
		s.settingsUpdated(old, problems)
	})
}

// reclassifyAll decides again which open documents are migrations (globs
// and workspace folders may have changed) and re-analyses all of them.
func (s *server) reclassifyAll() {
	st := s.settings.get()
	for _, d := range s.docs.all() {
		d.reclassify(s.place(d.uri, st))
	}
}
