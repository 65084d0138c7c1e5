package lsp

import (
	"context"
	"fmt"
	"math/rand"
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

// freshSnapshot is a fresh analysis of text, as the server would build it.
func freshSnapshot(uri string, text string) *snapshot {
	s := newServer(context.Background(), nil, Options{Engine: &fakeEngine{}}, discardLogger())
	src := []byte(text)
	path, _ := uriToPath(uri)
	a := fakeAnalyze(AnalyzeInput{URI: uri, Path: path, Text: src, File: grammar.Parse(src), Settings: DefaultSettings()})
	return s.newSnapshot(job{uri: uri, text: src, place: placement{migration: true}}, a)
}

var stormSnippets = []string{
	"x", "é", "𐐀", " ", "\n", "\r\n", "(", ")", "\"", "#", "do\n", "end\n", ", concurrently: true",
	"    create index(:storm, [:a])\n", "create index(", "    alter table(:é) do\n      add :𐐀, :text\n    end\n",
}

// TestKeystrokeStorm types 200 incremental changes 5 ms apart, then asks
// for a hover and code actions at once. The final diagnostics must equal a
// fresh analysis of the final text, the server's text must equal the
// client's, and no version may be published after a newer one.
func TestKeystrokeStorm(t *testing.T) {
	for _, tc := range []struct {
		name     string
		debounce time.Duration
		engine   *fakeEngine
	}{
		{"debounce 30ms", 30 * time.Millisecond, &fakeEngine{}},
		// Every change analysed at once by a slow engine: most runs are
		// cancelled by the next change, and must never be published.
		{"no debounce, slow engine", -1, &fakeEngine{delay: 3 * time.Millisecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := startServer(t, serverConfig{engine: tc.engine, debounce: tc.debounce})
			text := sizedMigration(300)
			uri := ts.open(migrationPath, text)
			ts.client.await(t, uri, 1)
			rng := rand.New(rand.NewSource(7))
			firstLine := strings.IndexByte(text, '\n') + 1
			version := int32(1)
			for i := 0; i < 200; i++ {
				version++
				var changes []contentChange
				if rng.Intn(50) == 0 {
					// A full-text change, accepted under incremental sync.
					text = text + "    create index(:full, [:a])\n"
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
			fresh := freshSnapshot(uri, text)
			want := fresh.diagnostics
			if got := ts.serverText(t, uri); !strings.Contains(got, digest(text)) {
				t.Fatalf("server text differs from the client's: %s, want %s", got, digest(text))
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
			t.Logf("%d changes, %d publications, %d engine runs", version-1, len(pubs), tc.engine.calls.Load())
		})
	}
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
