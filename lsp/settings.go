package lsp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/lockwise/lockwise/analysis"
)

// Settings are the user's lockwise settings (DESIGN.md "Configuration"),
// taken from initializationOptions, workspace/configuration (section
// "lockwise") and workspace/didChangeConfiguration. A Settings value is
// immutable once built: it is shared with document goroutines.
type Settings struct {
	PostgresVersion int                          // postgres_version, default 15
	AssumeUTC       bool                         // assume_utc, default true
	Rules           map[string]analysis.Severity // rules: rule id → severity (Off disables)
	LockHints       bool                         // lock_hints: show lock hints as code lenses, default true
	// Migrations are globs (relative to a workspace folder or mix project)
	// selecting the files to analyse. Empty means DefaultMigrations. A glob
	// without an extension names directories: the .exs files in them match.
	Migrations []string
	StartAfter string // start_after: migrations up to this version are not reported
}

// DefaultMigrations are the migration globs used when the setting is empty.
var DefaultMigrations = []string{"priv/*/migrations/*.exs", "apps/*/priv/*/migrations/*.exs"}

// DefaultSettings returns the settings in force before the client says anything.
func DefaultSettings() Settings {
	return Settings{PostgresVersion: 15, AssumeUTC: true, LockHints: true}
}

func (s Settings) equal(o Settings) bool {
	return s.PostgresVersion == o.PostgresVersion && s.AssumeUTC == o.AssumeUTC &&
		maps.Equal(s.Rules, o.Rules) && s.LockHints == o.LockHints &&
		slices.Equal(s.Migrations, o.Migrations) && s.StartAfter == o.StartAfter
}

// merge returns s overridden by the keys present in raw, a JSON object of
// settings. The object may also be wrapped as {"lockwise": {...}} (what
// VS Code's and Neovim's didChangeConfiguration usually send). null, {}
// and anything that is not an object leave s unchanged. A key with a value
// of the wrong type is skipped and reported in problems; it never discards
// the other keys. Keys are snake_case as in .lockwise.toml; the camelCase
// spelling VS Code settings use is accepted too.
func (s Settings) merge(raw json.RawMessage) (_ Settings, problems []string) {
	obj := settingsObject(raw)
	if obj == nil {
		return s, nil
	}
	out := s
	for key, val := range obj {
		if isNull(val) {
			continue
		}
		var err error
		switch key {
		case "postgres_version", "postgresVersion":
			var v int
			if v, err = decodeInt(val); err == nil {
				out.PostgresVersion = v
			}
		case "assume_utc", "assumeUtc", "assumeUTC":
			err = json.Unmarshal(val, &out.AssumeUTC)
		case "lock_hints", "lockHints":
			err = json.Unmarshal(val, &out.LockHints)
		case "migrations":
			var globs []string
			if err = json.Unmarshal(val, &globs); err == nil {
				out.Migrations = globs
			}
		case "start_after", "startAfter":
			var v string
			if v, err = decodeVersion(val); err == nil {
				out.StartAfter = v
			}
		case "rules":
			var rules map[string]string
			if err = json.Unmarshal(val, &rules); err != nil {
				break
			}
			merged := maps.Clone(out.Rules) // never mutate a map another Settings shares
			if merged == nil {
				merged = map[string]analysis.Severity{}
			}
			for id, name := range rules {
				sev, ok := analysis.ParseSeverity(name)
				if !ok {
					problems = append(problems, fmt.Sprintf("rules.%s: unknown severity %q (want error, warning, info, hint or off)", id, name))
					continue
				}
				merged[id] = sev
			}
			out.Rules = merged
		default:
			problems = append(problems, fmt.Sprintf("unknown setting %q", key))
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("setting %q: %v", key, err))
		}
	}
	if out.PostgresVersion <= 0 {
		problems = append(problems, fmt.Sprintf("postgres_version %d is not a version", out.PostgresVersion))
		out.PostgresVersion = s.PostgresVersion
	}
	slices.Sort(problems)
	return out, problems
}

// settingsObject returns the settings keys of raw, unwrapping a "lockwise" section.
func settingsObject(raw json.RawMessage) map[string]json.RawMessage {
	var obj map[string]json.RawMessage
	if len(bytes.TrimSpace(raw)) == 0 || json.Unmarshal(raw, &obj) != nil || obj == nil {
		return nil
	}
	if inner, ok := obj["lockwise"]; ok {
		var sub map[string]json.RawMessage
		if json.Unmarshal(inner, &sub) != nil {
			return nil
		}
		return sub
	}
	return obj
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// decodeInt accepts 15 and "15": clients that only store strings exist.
func decodeInt(raw json.RawMessage) (int, error) {
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		return n, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("want a number")
	}
	return strconv.Atoi(s)
}

// decodeVersion accepts a migration version as a string or a number
// (20240101000000 is exact in a float64: it is below 2^53).
func decodeVersion(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("want a migration version")
	}
	return n.String(), nil
}
