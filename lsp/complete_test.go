package lsp

import (
	"strings"
	"testing"
)

// fakeModel is a completionModel with fixed tables.
type fakeModel map[string][]string

func (m fakeModel) tables() []tableInfo {
	var out []tableInfo
	for t := range m {
		if !strings.HasPrefix(t, "schema:") {
			out = append(out, tableInfo{name: t})
		}
	}
	return out
}

func (m fakeModel) columns(t string) []columnInfo {
	var out []columnInfo
	for _, c := range m[t] {
		out = append(out, columnInfo{name: c})
	}
	return out
}

func (m fakeModel) schemaFields(t string) []columnInfo {
	var out []columnInfo
	for _, c := range m["schema:"+t] {
		out = append(out, columnInfo{name: c})
	}
	return out
}

// TestCompleteContexts: the text before "|" decides what is offered;
// want lists the inserted texts (all of them, in order, or the first ones
// followed by "...").
func TestCompleteContexts(t *testing.T) {
	model := fakeModel{"users": {"email", "name"}, "orgs": {"id"}, "schema:users": {"email", "nickname"}}
	head := "defmodule M do\n  use Ecto.Migration\n  def change do\n"
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"table atom", `    create index(:u|`, []string{":orgs", ":users"}},
		{"table empty", `    create index(|`, []string{":orgs", ":users"}},
		{"table string", `    create table("u|`, []string{"orgs", "users"}},
		{"references table", `    alter table(:orgs) do` + "\n" + `      add :user_id, references(:|`, []string{":orgs", ":users"}},
		{"constraint table", `    create constraint(|`, []string{":orgs", ":users"}},
		{"index columns", `    create index(:users, [:name, :|`, []string{":email", ":name"}},
		{"index columns string table", `    create unique_index("users", [|`, []string{":email", ":name"}},
		{"modify column", "    alter table(:users) do\n      modify :|", []string{":email", ":name"}},
		{"remove column no colon", "    alter table(:users) do\n      add :x, :text\n      remove |", []string{":email", ":name"}},
		{"column after a broken line", "    alter table(:users) do\n      add :x, :text, null: (\n      remove :e|", []string{":email", ":name"}},
		{"rename column", "    rename table(:users), :|", []string{":email", ":name"}},
		{"add schema fields", "    alter table(:users) do\n      add :|", []string{":nickname"}},
		{"type", "    alter table(:users) do\n      add :age, :|", []string{":string", ":text", ":integer", "..."}},
		{"type no colon", "    alter table(:users) do\n      modify :age, |", []string{":string", "..."}},
		{"add options", "    alter table(:users) do\n      add :age, :integer, |", []string{"null: ", "default: ", "primary_key: ", "size: ", "..."}},
		{"add options partial", "    alter table(:users) do\n      add :age, :integer, null: false, de|", []string{"default: ", "primary_key: ", "..."}},
		{"modify options", "    alter table(:users) do\n      modify :age, :bigint, |", []string{"null: ", "default: ", "from: ", "..."}},
		{"modify from", "    alter table(:users) do\n      modify :age, :bigint, from: |", []string{":string", "..."}},
		{"references options", `    alter table(:orgs) do` + "\n" + `      add :user_id, references(:users, |`, []string{"on_delete: ", "on_update: ", "type: ", "..."}},
		{"on_delete values", `    alter table(:orgs) do` + "\n" + `      add :user_id, references(:users, on_delete: :|`, []string{":nothing", ":delete_all", ":nilify_all", ":restrict", ":default_all", "{:nilify, [:column]}"}},
		{"on_update values", `      add :user_id, references(:users, on_update: |`, []string{":nothing", ":update_all", ":nilify_all", ":restrict"}},
		{"index options", `    create index(:users, [:email], |`, []string{"unique: ", "concurrently: ", "using: ", "..."}},
		{"index options given", `    create index(:users, [:email], concurrently: true, unique: true, |`, []string{"using: ", "where: ", "..."}},
		{"using values", `    create index(:users, [:email], using: |`, []string{":btree", ":gin", "..."}},
		{"boolean values", `    create index(:users, [:email], concurrently: t|`, []string{"true", "false"}},
		{"table options", `    create table(:things, |`, []string{"primary_key: ", "prefix: ", "comment: ", "options: "}},
		{"constraint options", `    create constraint(:users, :age_positive, |`, []string{"check: ", "exclude: ", "validate: ", "prefix: ", "comment: "}},
		{"timestamps options", "    create table(:things) do\n      timestamps(|", []string{"type: ", "inserted_at: ", "..."}},
		{"nothing in a comment", `    # create index(|`, nil},
		{"nothing in a string", `    execute "CREATE INDEX ON |`, nil},
		{"nothing while typing a key", `    create index(:users, [:email], unique:|`, nil},
		{"nothing for the column of add", "    alter table(:orgs) do\n      add :|", nil},
		{"after a heredoc", "    execute \"\"\"\n    UPDATE users SET a = 1\n    \"\"\"\n    create index(:|", []string{":orgs", ":users"}},
		{"after a closed block", "    alter table(:users) do\n      add :x, :text\n    end\n    create index(:users, [:email], |", []string{"unique: ", "..."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := head + tc.src
			at := strings.Index(src, "|")
			text := src[:at] + src[at+1:] + "\n  end\nend\n"
			var got []string
			for _, c := range complete([]byte(text), at, model) {
				got = append(got, c.insert)
			}
			want := tc.want
			if n := len(want); n > 0 && want[n-1] == "..." {
				want = want[:n-1]
				if len(got) > len(want) {
					got = got[:len(want)]
				}
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// The replaced range is the whole word under the cursor, colon included.
func TestCompleteRange(t *testing.T) {
	text := "  create index(:us, [:email])\n"
	at := strings.Index(text, ":us") + 2
	cs := complete([]byte(text), at, fakeModel{"users": nil})
	if len(cs) != 1 || text[cs[0].start:cs[0].end] != ":us" {
		t.Fatalf("got %+v", cs)
	}
}
