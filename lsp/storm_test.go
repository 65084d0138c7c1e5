package lsp

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lockwise/lockwise/grammar"
	"go.lsp.dev/protocol"
)

// sizedMigration is a realistic migration of about n lines: tables,
// columns, indexes (some concurrent), raw SQL, non-ASCII comments.
func sizedMigration(n int) string {
	var b strings.Builder
	b.WriteString("defmodule App.Repo.Migrations.Large do\n  use Ecto.Migration\n\n  def change do\n")
	lines := 4
	for i := 0; lines < n-3; i++ {
		switch i % 6 {
		case 0:
			fmt.Fprintf(&b, "    create table(:t%d) do\n      add :name, :string, null: false\n      add :price, :decimal\n      timestamps()\n    end\n", i)
			lines += 5
		case 1:
			fmt.Fprintf(&b, "    create index(:t%d, [:name])\n", i-1)
			lines++
		case 2:
			fmt.Fprintf(&b, "    # Ünïcode é 𐐀 in a comment %d\n    alter table(:t%d) do\n      modify :name, :text, from: :string\n    end\n", i, i-2)
			lines += 4
		case 3:
			fmt.Fprintf(&b, "    create index(:t%d, [:price], concurrently: true)\n", i-3)
			lines++
		case 4:
			fmt.Fprintf(&b, "    execute \"\"\"\n    UPDATE t%d SET name = lower(name)\n    \"\"\"\n", i-4)
			lines += 3
		case 5:
			b.WriteString("\n")
			lines++
		}
	}
	b.WriteString("  end\nend\n")
	return b.String()
}

// freshSnapshot is a fresh analysis of text by engine, as the server
// would build it: the real engine gets a project model of its own, empty
// but for the document (the storm's document is not on disk).
func freshSnapshot(uri string, text string, engine Engine) *snapshot {
	s := newServer(context.Background(), nil, Options{Engine: engine}, discardLogger())
	src := []byte(text)
	path, _ := uriToPath(uri)
	in := AnalyzeInput{URI: uri, Path: path, Text: src, File: grammar.Parse(src), Settings: DefaultSettings()}
	if p := s.index.projectFor(filepath.Dir(path)); p != nil {
		in.Workspace = p
	}
	j := job{ctx: context.Background(), uri: uri, path: path, text: src, place: placement{migration: true}}
	return s.newSnapshot(j, s.runEngine(j, in))
}

var stormSnippets = []string{
	"x", "é", "𐐀", " ", "\n", "\r\n", "(", ")", "\"", "#", "do\n", "end\n", ", concurrently: true",
	"    create index(:storm, [:a])\n", "create index(", "    alter table(:é) do\n      add :𐐀, :text\n    end\n",
}

// TestKeystrokeStorm types 200 incremental changes 5 ms apart, then asks
// for code actions and symbols at once. The final diagnostics, actions and
// symbols must equal those of a fresh analysis of the final text (so the
// server's text and tree followed every change), and no version may be
// published after a newer one. The real engine runs the storms users
// make; a slow fake engine, analysing every change at once, makes most
// runs be cancelled by the next change: they must never be published.
func TestKeystrokeStorm(t *testing.T) {
	for _, tc := range []struct {
		name     string
		debounce time.Duration
		engine   func() Engine
	}{
		{"real engine, debounce 30ms", 30 * time.Millisecond, func() Engine { return NewAnalysisEngine() }},
		{"real engine, no debounce", -1, func() Engine { return NewAnalysisEngine() }},
		{"no debounce, slow engine", -1, func() Engine { return &fakeEngine{delay: 3 * time.Millisecond} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			engine := tc.engine()
			ts := startServer(t, serverConfig{engine: engine, debounce: tc.debounce})
			text := sizedMigration(300)
			uri := ts.open(migrationPath, text)
			ts.client.await(t, uri, 1)
			rng := rand.New(rand.NewSource(7))
			ty := &typist{rng: rng}
			_, realEngine := engine.(*AnalysisEngine)
			firstLine := strings.IndexByte(text, '\n') + 1
			version := int32(1)
			for i := 0; i < 200; i++ {
				version++
				var changes []contentChange
				if realEngine {
					// Typing: the real engine needs a module that parses
					// most of the time to have something to say.
					var c contentChange
					if i == 199 {
						text, c = ty.finish(text)
					} else {
						text, c = ty.change(text)
					}
					changes = append(changes, c)
				} else if rng.Intn(50) == 0 {
					// A full-text change, accepted under incremental sync.
					text = strings.Replace(text, "  end\nend\n", "    create index(:full, [:a])\n  end\nend\n", 1)
					changes = append(changes, contentChange{Text: text})
				} else {
					for n := 1 + rng.Intn(2); n > 0; n-- { // sometimes two changes in one notification
						var c contentChange
						text, c = randomChange(rng, text, firstLine)
						changes = append(changes, c)
					}
				}
				ts.change(uri, version, changes...)
				time.Sleep(5 * time.Millisecond)
			}

			// Requests right after the storm see the final version.
			fresh := freshSnapshot(ts.uri(migrationPath), text, tc.engine())
			want := fresh.diagnostics
			if fake, ok := engine.(*fakeEngine); ok {
				if got := ts.serverText(t, uri); !strings.Contains(got, digest(text)) {
					t.Fatalf("server text differs from the client's: %s, want %s", got, digest(text))
				}
				defer func() { t.Logf("%d engine runs", fake.calls.Load()) }()
			}
			var syms []protocol.DocumentSymbol
			ts.mustCall(protocol.MethodTextDocumentDocumentSymbol, map[string]any{"textDocument": map[string]any{"uri": uri}}, &syms)
			if got, want := mustJSON(syms), mustJSON(documentSymbols(fresh.mapper, fresh.details().Symbols)); got != want {
				t.Errorf("symbols differ from a fresh analysis:\n got %s\nwant %s", got, want)
			}
			if len(want) > 0 {
				at := want[0].Range.Start
				var wantTitles []string
				for i, d := range fresh.analysis.Diagnostics {
					if fresh.diagnosticMatches(i, fresh.analysis.Diagnostics[0].Start, fresh.analysis.Diagnostics[0].Start, nil) {
						for _, f := range d.Fixes {
							wantTitles = append(wantTitles, f.Title)
						}
					}
				}
				var gotTitles []string
				for _, a := range ts.codeActions(uri, protocol.Range{Start: at, End: at}) {
					gotTitles = append(gotTitles, a.Title)
					if a.Data.Version != version {
						t.Errorf("action %q for version %d, want %d", a.Title, a.Data.Version, version)
					}
				}
				if !slices.Equal(gotTitles, wantTitles) {
					t.Errorf("code actions at %v: %q, want %q", at, gotTitles, wantTitles)
				}
			}
			if realEngine && len(want) == 0 {
				t.Error("the final text has no diagnostic: the storm tested nothing")
			}
			got := ts.client.await(t, uri, version)
			if mustJSON(got.Diagnostics) != mustJSON(want) {
				t.Errorf("final diagnostics differ from a fresh analysis:\n got %s\nwant %s", mustJSON(got.Diagnostics), mustJSON(want))
			}
			pubs := ts.client.publications(uri)
			var versions []int32
			for _, p := range pubs {
				versions = append(versions, *p.Version)
			}
			if !slices.IsSorted(versions) {
				t.Errorf("a version was published after a newer one: %v", versions)
			}
			t.Logf("%d changes, %d publications, %d diagnostics at the end", version-1, len(pubs), len(want))
		})
	}
}

// typist types statements into a migration one or two characters at a
// time, as a user does, between the statements of change/0, and now and
// then deletes a line or a word: the text is broken while a statement is
// half typed, and parses again when it is complete.
type typist struct {
	rng     *rand.Rand
	pending string // what is left to type
	at      int    // where it goes
}

var typedStatements = []string{
	"    create index(:t0, [:price, :name])\n",
	"    alter table(:t6) do\n      add :été_𐐀, :text, null: false\n    end\n",
	"    create unique_index(:t12, [:name], concurrently: true)\n",
	"    execute \"UPDATE t6 SET name = 'é'\"\n",
	"    alter table(:t0) do\n      modify :price, :bigint\n    end\n",
	"    drop index(:t6, [:name])\n",
}

func (ty *typist) change(text string) (string, contentChange) {
	if ty.pending == "" {
		lines := strings.SplitAfter(text, "\n")
		body := 4 + ty.rng.Intn(len(lines)-6) // a line of change/0's body
		off := len(strings.Join(lines[:body], ""))
		if ty.rng.Intn(4) == 0 && strings.HasPrefix(lines[body], "    create index(") {
			// Delete a whole one-line statement.
			r := protocol.Range{Start: naivePosition(text, off, 0), End: naivePosition(text, off+len(lines[body]), 0)}
			return text[:off] + text[off+len(lines[body]):], contentChange{Range: &r}
		}
		if i := strings.Index(lines[body], ":name"); i >= 0 && ty.rng.Intn(4) == 0 {
			// Rename a column in place (a multi-character replacement).
			s := off + i
			r := protocol.Range{Start: naivePosition(text, s, 0), End: naivePosition(text, s+len(":name"), 0)}
			return text[:s] + ":nom" + text[s+len(":name"):], contentChange{Range: &r, Text: ":nom"}
		}
		if !strings.HasPrefix(lines[body-1], "  def ") && !strings.HasSuffix(strings.TrimSpace(lines[body-1]), "end") &&
			!strings.HasSuffix(strings.TrimSpace(lines[body-1]), ")") && !strings.HasSuffix(strings.TrimSpace(lines[body-1]), "\"") &&
			strings.TrimSpace(lines[body-1]) != "" {
			return ty.change(text) // only between statements
		}
		ty.pending = typedStatements[ty.rng.Intn(len(typedStatements))]
		ty.at = off
	}
	n := 1 + ty.rng.Intn(2)
	chunk := []rune(ty.pending)
	if n > len(chunk) {
		n = len(chunk)
	}
	ins := string(chunk[:n])
	ty.pending = string(chunk[n:])
	p := naivePosition(text, ty.at, 0)
	text = text[:ty.at] + ins + text[ty.at:]
	ty.at += len(ins)
	return text, contentChange{Range: &protocol.Range{Start: p, End: p}, Text: ins}
}

// finish types the rest of the pending statement at once.
func (ty *typist) finish(text string) (string, contentChange) {
	p := naivePosition(text, ty.at, 0)
	ins := ty.pending
	ty.pending = ""
	return text[:ty.at] + ins + text[ty.at:], contentChange{Range: &protocol.Range{Start: p, End: p}, Text: ins}
}

// randomChange makes one random edit of text after offset min, never
// between "\r" and "\n" (no client names that position), and returns the
// new text and the change in UTF-16 positions, computed independently of
// Mapper.
func randomChange(rng *rand.Rand, text string, min int) (string, contentChange) {
	boundary := func() int {
		for {
			off := min + rng.Intn(len(text)-min+1)
			if off < len(text) && !isRuneStart(text[off]) {
				continue
			}
			if off > 0 && off < len(text) && text[off-1] == '\r' && text[off] == '\n' {
				continue
			}
			return off
		}
	}
	start := boundary()
	end := start
	if rng.Intn(3) == 0 {
		end = start + 1 + rng.Intn(12)
		if end > len(text) {
			end = len(text)
		}
		for end < len(text) && (!isRuneStart(text[end]) || text[end-1] == '\r' && text[end] == '\n') {
			end++
		}
	}
	ins := ""
	if end == start || rng.Intn(2) == 0 {
		ins = stormSnippets[rng.Intn(len(stormSnippets))]
	}
	r := protocol.Range{Start: naivePosition(text, start, 0), End: naivePosition(text, end, 0)}
	return text[:start] + ins + text[end:], contentChange{Range: &r, Text: ins}
}
