package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// Tests of the workspace model over the real wire with the real engine:
// indexing with $/progress, file watching, and open migrations
// re-analysed when what they depend on changes (an earlier migration, an
// Ecto schema, the configuration) without the user touching them.

func wsMigration(module, body string) string {
	return "defmodule Shop.Repo.Migrations." + module + " do\n  use Ecto.Migration\n\n" + body + "\nend\n"
}

const (
	createUsersPath = "priv/repo/migrations/20240101000000_create_users.exs"
	alterUsersPath  = "priv/repo/migrations/20240201000000_alter_users.exs"
	userSchemaPath  = "lib/shop/user.ex"
)

var (
	createUsers = wsMigration("CreateUsers", "  def change do\n    create table(:users) do\n      add :age, :integer\n      add :nickname, :string\n    end\n  end")
	// alterUsers depends on createUsers (the old type of age) and on the
	// Ecto schema (nickname is still a field).
	alterUsers = wsMigration("AlterUsers", "  def up do\n    alter table(:users) do\n      modify :age, :bigint\n      remove :nickname\n    end\n  end\n\n  def down, do: :ok")
	userSchema = "defmodule Shop.User do\n  use Ecto.Schema\n\n  schema \"users\" do\n    field :nickname, :string\n  end\nend\n"
)

// shopFiles is a small project: a migration, a later one depending on it,
// an Ecto schema.
func shopFiles() map[string]string {
	return map[string]string{
		"mix.exs":       "defmodule Shop.MixProject do\n  use Mix.Project\nend\n",
		createUsersPath: createUsers,
		alterUsersPath:  alterUsers,
		userSchemaPath:  userSchema,
	}
}

// typeChange finds the column-type-changed diagnostic among lines.
func typeChange(lines []string) string {
	for _, l := range lines {
		if strings.HasPrefix(l, "column-type-changed: ") {
			return l
		}
	}
	return ""
}

func has(lines []string, re string) bool {
	r := regexp.MustCompile(re)
	return slices.ContainsFunc(lines, r.MatchString)
}

const (
	knownInteger = `column-type-changed: .*\(integer -> bigint rewrites the table\)`
	unknownType  = `column-type-changed: .*does not know the column's old type`
)

// The open later migration is re-analysed when an earlier one is edited
// (unsaved text), saved, changed on disk, renamed and deleted.
func TestEarlierMigrationChangesRefreshLaterOne(t *testing.T) {
	ts := startServer(t, serverConfig{engine: NewAnalysisEngine(), files: shopFiles()})
	ts.client.awaitIndexed(t, 1)
	later := ts.open(alterUsersPath, alterUsers)
	ts.client.awaitDiagnostics(t, later, "the old type from the earlier migration", func(l []string) bool { return has(l, knownInteger) })

	// Edited, not saved: the later migration sees the unsaved text.
	earlier := ts.open(createUsersPath, createUsers)
	ts.client.await(t, earlier, 1)
	at := pos(t, createUsers, ":integer", 0)
	ts.change(earlier, 2, contentChange{Range: &protocol.Range{Start: at, End: protocol.Position{Line: at.Line, Character: at.Character + uint32(len(":integer"))}}, Text: ":bigint"})
	ts.client.awaitDiagnostics(t, later, "no type change once age is already bigint", func(l []string) bool { return typeChange(l) == "" })

	// A comment above the code changes no statement: nothing to redo.
	before := len(ts.client.publications(later))
	ts.change(earlier, 3, contentChange{Range: &protocol.Range{}, Text: "# é 𐐀 a comment\n"})
	ts.client.await(t, earlier, 3)
	ts.hover(earlier, protocol.Position{}) // a round trip: anything queued was sent
	if n := len(ts.client.publications(later)); n != before {
		t.Errorf("a comment in the earlier migration re-published the later one (%d -> %d)", before, n)
	}

	// Saved: the text the model holds is the saved one already.
	saved := "# é 𐐀 a comment\n" + strings.Replace(createUsers, ":integer", ":bigint", 1)
	ts.writeFile(createUsersPath, saved)
	ts.notify(protocol.MethodTextDocumentDidSave, map[string]any{"textDocument": map[string]any{"uri": earlier}})
	ts.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": earlier, "type": protocol.FileChangeTypeChanged}}})

	// Closed: the disk's version (the saved one) stays.
	ts.notify(protocol.MethodTextDocumentDidClose, map[string]any{"textDocument": map[string]any{"uri": earlier}})
	ts.hover(later, protocol.Position{})
	if tc := typeChange(diagLines(ts.client.publications(later)[len(ts.client.publications(later))-1].Diagnostics)); tc != "" {
		t.Errorf("after save and close: %s", tc)
	}

	// Changed on disk by another program (git checkout): a watched file event.
	ts.writeFile(createUsersPath, createUsers)
	ts.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": earlier, "type": protocol.FileChangeTypeChanged}}})
	ts.client.awaitDiagnostics(t, later, "the type from the disk", func(l []string) bool { return has(l, knownInteger) })

	// Renamed to a later version: a deletion and a creation. It now runs
	// after the open migration, which no longer knows the table.
	renamedPath := "priv/repo/migrations/20240301000000_create_users.exs"
	if err := os.Rename(filepath.Join(ts.root, createUsersPath), filepath.Join(ts.root, renamedPath)); err != nil {
		t.Fatal(err)
	}
	ts.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{
		map[string]any{"uri": earlier, "type": protocol.FileChangeTypeDeleted},
		map[string]any{"uri": ts.uri(renamedPath), "type": protocol.FileChangeTypeCreated},
	}})
	ts.client.awaitDiagnostics(t, later, "the table is no longer created before", func(l []string) bool { return has(l, unknownType) })

	// Renamed back, then deleted.
	if err := os.Rename(filepath.Join(ts.root, renamedPath), filepath.Join(ts.root, createUsersPath)); err != nil {
		t.Fatal(err)
	}
	ts.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{
		map[string]any{"uri": ts.uri(renamedPath), "type": protocol.FileChangeTypeDeleted},
		map[string]any{"uri": earlier, "type": protocol.FileChangeTypeCreated},
	}})
	ts.client.awaitDiagnostics(t, later, "created before again", func(l []string) bool { return has(l, knownInteger) })
	if err := os.Remove(filepath.Join(ts.root, createUsersPath)); err != nil {
		t.Fatal(err)
	}
	ts.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": earlier, "type": protocol.FileChangeTypeDeleted}}})
	ts.client.awaitDiagnostics(t, later, "deleted", func(l []string) bool { return has(l, unknownType) })
	// Every publication of the later migration is for its one version.
	for _, p := range ts.client.publications(later) {
		if p.Version == nil || *p.Version != 1 {
			t.Errorf("publication for version %v", p.Version)
		}
	}
}

// The Ecto schemas of lib/ are read from open buffers too: removing a
// column a schema still maps is an error pointing at the field, a
// warning once the field is gone from the (unsaved) schema, and an error
// again when the buffer is closed without saving.
func TestSchemaChangesRefreshMigrations(t *testing.T) {
	ts := startServer(t, serverConfig{engine: NewAnalysisEngine(), files: shopFiles()})
	ts.client.awaitIndexed(t, 1)
	later := ts.open(alterUsersPath, alterUsers)
	p := ts.client.awaitDiagnostics(t, later, "column-removed is an error", func(l []string) bool { return has(l, `^column-removed: Breaks the application`) })
	var removed protocol.Diagnostic
	for _, d := range p.Diagnostics {
		if d.Code == "column-removed" {
			removed = d
		}
	}
	fieldAt := pos(t, userSchema, "field :nickname", 0)
	if removed.Severity != protocol.DiagnosticSeverityError || len(removed.RelatedInformation) != 1 ||
		removed.RelatedInformation[0].Location.URI != protocol.DocumentURI(ts.uri(userSchemaPath)) ||
		removed.RelatedInformation[0].Location.Range.Start != fieldAt {
		t.Fatalf("column-removed: %+v", removed)
	}

	schema := ts.open(userSchemaPath, userSchema)
	line := protocol.Range{Start: protocol.Position{Line: fieldAt.Line}, End: protocol.Position{Line: fieldAt.Line + 1}}
	ts.change(schema, 2, contentChange{Range: &line, Text: ""})
	ts.client.awaitDiagnostics(t, later, "a warning once no schema maps the column", func(l []string) bool {
		return has(l, `^column-removed: `) && !has(l, `^column-removed: Breaks the application`)
	})
	if pubs := ts.client.publications(schema); len(pubs) != 0 {
		t.Errorf("a lib/ file gets no diagnostics: %+v", pubs)
	}
	ts.notify(protocol.MethodTextDocumentDidClose, map[string]any{"textDocument": map[string]any{"uri": schema}})
	ts.client.awaitDiagnostics(t, later, "an error again: the disk still has the field", func(l []string) bool { return has(l, `^column-removed: Breaks the application`) })

	// A new schema file on disk.
	ts.writeFile("lib/shop/other.ex", strings.ReplaceAll(userSchema, "Shop.User", "Shop.Other"))
	ts.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": ts.uri("lib/shop/other.ex"), "type": protocol.FileChangeTypeCreated}}})
	ts.client.awaitDiagnostics(t, later, "two schemas", func(l []string) bool { return has(l, `^column-removed: Breaks the application: 2 Ecto schemas`) })
}

// A .lockwise.toml written on disk reloads the settings and re-analyses
// the open documents; so does a config/*.exs.
func TestConfigurationChangeReanalyses(t *testing.T) {
	ts := startServer(t, serverConfig{engine: NewAnalysisEngine(), files: shopFiles()})
	ts.client.awaitIndexed(t, 1)
	later := ts.open(alterUsersPath, alterUsers)
	ts.client.awaitDiagnostics(t, later, "type change", func(l []string) bool { return has(l, knownInteger) })
	ts.writeFile(".lockwise.toml", "[rules]\ncolumn-type-changed = \"off\"\n")
	ts.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": ts.uri(".lockwise.toml"), "type": protocol.FileChangeTypeCreated}}})
	ts.client.awaitDiagnostics(t, later, "the rule is off", func(l []string) bool { return typeChange(l) == "" && has(l, "column-removed") })
	ts.client.awaitIndexed(t, 2) // the model is rebuilt, with progress
	ts.writeFile(".lockwise.toml", "[rules]\n")
	ts.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": ts.uri(".lockwise.toml"), "type": protocol.FileChangeTypeChanged}}})
	ts.client.awaitDiagnostics(t, later, "the rule is back", func(l []string) bool { return has(l, knownInteger) })
}

// Indexing reports $/progress (create, begin, a report per repo, end),
// and the server registers its file watchers, when the client supports
// both; a client that supports neither gets neither.
func TestIndexProgressAndWatchers(t *testing.T) {
	files := shopFiles()
	files["apps/billing/mix.exs"] = "defmodule Billing.MixProject do\nend\n"
	files["apps/billing/priv/repo/migrations/20240101000000_create_invoices.exs"] = wsMigration("CreateInvoices", "  def change, do: create(table(:invoices))")
	files["apps/billing/priv/events/migrations/20240101000000_create_events.exs"] = wsMigration("CreateEvents", "  def change, do: create(table(:events))")
	delete(files, "mix.exs")
	files["mix.exs"] = "defmodule Shop.Umbrella.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: \"apps\"]\nend\n"
	ts := startServer(t, serverConfig{engine: NewAnalysisEngine(), files: files})
	ts.client.awaitIndexed(t, 1)
	ts.client.waitFor(t, "watchers", func() bool { return len(ts.client.registered) > 0 })
	ts.client.mu.Lock()
	got := strings.Join(ts.client.progress, "\n")
	registered, watchers := ts.client.registered, ts.client.watchers
	ts.client.mu.Unlock()
	got = regexp.MustCompile(`lockwise-\d+`).ReplaceAllString(got, "T")
	want := strings.Join([]string{
		"create T",
		"begin T lockwise: indexing migrations 0%",
		"report T apps/billing/priv/events/migrations: 1 migrations 33%",
		"report T apps/billing/priv/repo/migrations: 1 migrations 66%",
		"report T priv/repo/migrations: 2 migrations 100%",
		"end T 4 migrations in 3 repos, 1 Ecto schemas",
	}, "\n")
	if got != want {
		t.Errorf("progress:\n%s\nwant:\n%s", got, want)
	}
	if !slices.Equal(registered, []string{protocol.MethodWorkspaceDidChangeWatchedFiles}) || !slices.Equal(watchers, watchGlobs) {
		t.Errorf("registered %v watching %v", registered, watchers)
	}

	bare := startServer(t, serverConfig{engine: NewAnalysisEngine(), preset: "bare", files: shopFiles()})
	uri := bare.open(alterUsersPath, alterUsers)
	bare.client.awaitDiagnostics(t, uri, "the workspace is indexed without progress", func(l []string) bool { return has(l, knownInteger) })
	bare.client.mu.Lock()
	defer bare.client.mu.Unlock()
	if len(bare.client.progress) > 0 || len(bare.client.registered) > 0 {
		t.Errorf("progress %v, registrations %v for a client that supports neither", bare.client.progress, bare.client.registered)
	}
}

// Requests never wait for indexing: a document opened while a big
// project is being indexed is answered at once, and analysed again once
// the index is there.
func TestRequestsDoNotWaitForIndexing(t *testing.T) {
	files := shopFiles()
	for i := 0; i < 300; i++ {
		files[fmt.Sprintf("priv/repo/migrations/2023%010d_m%d.exs", i, i)] = wsMigration(fmt.Sprintf("M%d", i),
			fmt.Sprintf("  def change do\n    create table(:t%d) do\n      add :name, :string\n    end\n  end", i))
	}
	ts := startServer(t, serverConfig{engine: NewAnalysisEngine(), files: files})
	later := ts.open(alterUsersPath, alterUsers)
	// Whatever the index holds now, the request is answered.
	if h := ts.hover(later, pos(t, alterUsers, "modify", 0)); h == nil {
		t.Error("no hover while indexing")
	}
	ts.client.awaitIndexed(t, 1)
	ts.client.awaitDiagnostics(t, later, "analysed with the index", func(l []string) bool { return has(l, knownInteger) })
}

// Without file watching (Neovim 0.7), a save rescans the project: a
// migration changed on disk behind the editor's back is seen then.
func TestSaveRescansWithoutWatchers(t *testing.T) {
	ts := startServer(t, serverConfig{engine: NewAnalysisEngine(), preset: "nvim07", files: shopFiles()})
	ts.client.awaitIndexed(t, 1)
	later := ts.open(alterUsersPath, alterUsers)
	ts.client.awaitDiagnostics(t, later, "type change", func(l []string) bool { return has(l, knownInteger) })
	ts.writeFile(createUsersPath, "# changed behind the editor's back\n"+strings.Replace(createUsers, ":integer", ":bigint", 1))
	ts.notify(protocol.MethodTextDocumentDidSave, map[string]any{"textDocument": map[string]any{"uri": later}})
	ts.client.awaitDiagnostics(t, later, "rescanned", func(l []string) bool { return typeChange(l) == "" })
}

// A broken .lockwise.toml is reported once, and the defaults apply.
func TestBrokenConfigurationIsReported(t *testing.T) {
	files := shopFiles()
	files[".lockwise.toml"] = "[rules\ncolumn-type-changed = \"off\"\n"
	ts := startServer(t, serverConfig{engine: NewAnalysisEngine(), files: files})
	ts.client.awaitIndexed(t, 1)
	later := ts.open(alterUsersPath, alterUsers)
	ts.client.awaitDiagnostics(t, later, "the defaults apply", func(l []string) bool { return has(l, knownInteger) })
	ts.client.waitFor(t, "a message about the configuration", func() bool {
		n := 0
		for _, m := range ts.client.messages {
			if strings.Contains(m.Message, ".lockwise.toml") {
				n++
			}
		}
		return n == 1
	})
}

// Definition and references point into open documents as typed (their
// unsaved text, their URI), and references leave the declaration out
// when the client asks so.
func TestNavigationFollowsOpenBuffers(t *testing.T) {
	ts := startServer(t, serverConfig{engine: NewAnalysisEngine(), files: shopFiles()})
	ts.client.awaitIndexed(t, 1)
	later := ts.open(alterUsersPath, alterUsers)
	earlier := ts.open(createUsersPath, createUsers)
	ts.client.await(t, earlier, 1)
	// Two lines typed above the table, not saved.
	ts.change(earlier, 2, contentChange{Range: &protocol.Range{Start: protocol.Position{Line: 3}, End: protocol.Position{Line: 3}}, Text: "  # é\n  # 𐐀\n"})
	ts.client.await(t, earlier, 2)
	params := map[string]any{"textDocument": map[string]any{"uri": later}, "position": pos(t, alterUsers, ":nickname", 1)}
	var defs []protocol.Location
	ts.mustCall(protocol.MethodTextDocumentDefinition, params, &defs)
	typed := strings.Replace(createUsers, "  def change", "  # é\n  # 𐐀\n  def change", 1)
	want := protocol.Location{URI: protocol.DocumentURI(earlier), Range: protocol.Range{
		Start: pos(t, typed, "add :nickname", 0), End: pos(t, typed, "add :nickname, :string", len("add :nickname, :string"))}}
	if len(defs) != 1 || defs[0] != want {
		t.Errorf("definition of nickname: %+v, want %+v", defs, want)
	}
	params["context"] = map[string]any{"includeDeclaration": false}
	var refs []protocol.Location
	ts.mustCall(protocol.MethodTextDocumentReferences, params, &refs)
	var got []string
	for _, r := range refs {
		got = append(got, fmt.Sprintf("%s:%d", filepath.Base(string(r.URI)), r.Range.Start.Line+1))
	}
	if strings.Join(got, " ") != "20240201000000_alter_users.exs:7 user.ex:5" {
		t.Errorf("references without the declaration: %v", got)
	}
}

// A re-analysis without an edit (an earlier migration changed) that changes
// the lock hints asks the client for code lenses again
// (workspace/codeLens/refresh): editors ask for them again only on edits.
func TestLensRefreshWhenHintsChangeWithoutEdit(t *testing.T) {
	ts := startServer(t, serverConfig{engine: NewAnalysisEngine(), files: shopFiles()})
	ts.client.awaitIndexed(t, 1)
	later := ts.open(alterUsersPath, alterUsers)
	ts.client.awaitDiagnostics(t, later, "the old type from the earlier migration", func(l []string) bool { return has(l, knownInteger) })
	titles := func() string {
		var lenses []protocol.CodeLens
		ts.mustCall(protocol.MethodTextDocumentCodeLens, map[string]any{"textDocument": map[string]any{"uri": later}}, &lenses)
		var out []string
		for _, l := range lenses {
			if l.Command != nil {
				out = append(out, l.Command.Title)
			}
		}
		return strings.Join(out, "\n")
	}
	if got := titles(); !strings.Contains(got, "rewrites") {
		t.Fatalf("integer -> bigint: lenses %q", got)
	}

	ts.writeFile(createUsersPath, strings.Replace(createUsers, ":integer", ":bigint", 1))
	ts.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": ts.uri(createUsersPath), "type": protocol.FileChangeTypeChanged}}})
	ts.client.awaitDiagnostics(t, later, "no type change once age is bigint", func(l []string) bool { return typeChange(l) == "" })
	ts.client.waitFor(t, "workspace/codeLens/refresh", func() bool { return ts.client.refreshes == 1 })
	if got := titles(); strings.Contains(got, "rewrites") {
		t.Errorf("bigint -> bigint: lenses %q", got)
	}

	// A change that leaves the hints as they are asks for nothing.
	ts.writeFile(createUsersPath, "# a comment\n"+strings.Replace(createUsers, ":integer", ":bigint", 1)+"\n")
	ts.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": ts.uri(createUsersPath), "type": protocol.FileChangeTypeChanged}}})
	ts.hover(later, protocol.Position{})
	ts.client.mu.Lock()
	n := ts.client.refreshes
	ts.client.mu.Unlock()
	if n != 1 {
		t.Errorf("%d refreshes", n)
	}
}
