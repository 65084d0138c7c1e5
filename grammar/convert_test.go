package grammar

import (
	"strings"
	"testing"
)

// body returns the dumps of the statements inside `def change do ... end`.
func stmts(t *testing.T, code string) []string {
	t.Helper()
	f := Parse([]byte(code))
	var out []string
	for _, n := range f.Root.Args {
		out = append(out, Dump(n))
	}
	return out
}

func TestCallStyles(t *testing.T) {
	cases := []struct{ code, want string }{
		{`create index(:users, [:email])`, `(call "create" (call "index" () (atom "users") (list (atom "email"))))`},
		{`create(index(:users, [:email]))`, `(call "create" () (call "index" () (atom "users") (list (atom "email"))))`},
		{`index(:users, [:a]) |> create()`, `(binary_op "|>" (call "index" () (atom "users") (list (atom "a"))) (call "create" ()))`},
		{`create index("users", [:a], unique: true, name: "x")`, `(call "create" (call "index" () (string str:"users") (list (atom "a")) (keywords (pair "unique" (boolean "true")) (pair "name" (string str:"x")))))`},
		{`add :a, :string, "null": false`, `(call "add" (atom "a") (atom "string") (keywords (pair "null" (boolean "false"))))`},
		{`execute(fn -> repo().query!("x") end)`, `(call "execute" () (anon_fn (stab do:(block (call "query!" () target:(call "repo" ()) (string str:"x"))))))`},
		{`@disable_ddl_transaction true`, `(unary_op "@" (call "disable_ddl_transaction" (boolean "true")))`},
		{`alter table(:t), do: add(:x, :integer)`, `(call "alter" (call "table" () (atom "t")) (keywords (pair "do" (call "add" () (atom "x") (atom "integer")))))`},
		{`Repo.update_all(q, set: [a: 1])`, `(call "update_all" () target:(alias "Repo") (identifier "q") (keywords (pair "set" (list (keywords (pair "a" (integer "1")))))))`},
		{`add :x, :decimal, precision: 10, scale: 2, default: -1.5`, `(call "add" (atom "x") (atom "decimal") (keywords (pair "precision" (integer "10")) (pair "scale" (integer "2")) (pair "default" (unary_op "-" (float "1.5")))))`},
		{`:"quoted atom"`, `(atom "quoted atom" str:"quoted atom")`},
		{`%{"a" => 1}`, `(map (binary_op "=>" (string str:"a") (integer "1")))`},
		{`try do x() rescue e -> y() end`, `(call "try" do:(block (call "x" ())) else:(block (stab (identifier "e") do:(block (call "y" ())))))`},
	}
	for _, c := range cases {
		got := stmts(t, c.code)
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%s\n got: %s\nwant: %s", c.code, strings.Join(got, " ; "), c.want)
		}
	}
}

func TestCommentsAndErrors(t *testing.T) {
	src := "# top é\ndefmodule M do\n  def change do\n    create index(:a, [:b]) # want \"x\"\n    add :c, :string, null: \n  end\nend\n"
	f := Parse([]byte(src))
	if len(f.Comments) != 2 || f.Comments[0].Text != "# top é" || f.Comments[1].Text != `# want "x"` {
		t.Errorf("comments = %+v", f.Comments)
	}
	if len(f.Errors) == 0 {
		t.Errorf("a dangling keyword must be reported as a syntax error")
	}
}

func TestModulesQuery(t *testing.T) {
	src := []byte("defmodule A.Helpers do\n def x, do: 1\nend\ndefmodule A.Repo.Migrations.M do\n  use Ecto.Migration\n  defmodule Inner do\n  end\nend\ndefmodule :\"Elixir.A.Repo.Migrations.Add-x\" do\nend\n")
	mods := Modules(src)
	var names []string
	for _, m := range mods {
		names = append(names, m.Name)
		if m.Body.Start <= m.Node.Start || m.Body.End > m.Node.End {
			t.Errorf("%s: body %v not inside %v", m.Name, m.Body, m.Node)
		}
	}
	if got := strings.Join(names, ","); got != "A.Helpers,A.Repo.Migrations.M,Inner,A.Repo.Migrations.Add-x" {
		t.Errorf("modules = %s", got)
	}
	if !UsesMigration(src) {
		t.Error("UsesMigration = false")
	}
	if UsesMigration([]byte("defmodule X do\n use GenServer\nend\n")) {
		t.Error("a GenServer is not a migration")
	}
}

func TestLines(t *testing.T) {
	src := []byte("ab\r\né\n\nlast")
	l := NewLines(src)
	if l.Count() != 4 {
		t.Fatalf("count = %d", l.Count())
	}
	if got := string(l.Text(0)); got != "ab" {
		t.Errorf("line 0 = %q (CR must be excluded)", got)
	}
	if line, col := l.Position(5); line != 1 || col != 1 {
		t.Errorf("Position(5) = %d,%d", line, col)
	}
	if got := string(l.Text(3)); got != "last" {
		t.Errorf("last line = %q", got)
	}
	if line, _ := l.Position(1000); line != 3 {
		t.Errorf("clamped line = %d", line)
	}
}
