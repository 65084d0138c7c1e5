package analysis

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadProjectConfig(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "config"), 0o755)
	os.WriteFile(filepath.Join(root, "config", "config.exs"), []byte(`import Config
config :shop, Shop.Repo,
  migration_primary_key: [type: :binary_id],
  migration_timestamps: [type: :utc_datetime_usec]
config :shop, Shop.EventsRepo, priv: "priv/events", migration_lock: false
config :ecto_sql, postgres_map_type: "json"
import_config "#{config_env()}.exs"
`), 0o644)
	os.WriteFile(filepath.Join(root, "config", "prod.exs"), []byte(`import Config
config :shop, Shop.Repo, migration_lock: :pg_advisory_lock, parameters: [lock_timeout: "5s"]
`), 0o644)
	os.WriteFile(filepath.Join(root, "config", "dev.exs"), []byte(`import Config
config :shop, Shop.Repo, migration_lock: false
`), 0o644)
	pc := ReadProjectConfig(root)
	rc := pc.RepoFor("priv/repo/migrations")
	if rc.MigrationLock != "pg_advisory_lock" || rc.MapType != "json" || !rc.LockTimeout {
		t.Fatalf("Shop.Repo: %+v (dev.exs must not apply, prod.exs must)", rc)
	}
	if v, _ := rc.PrimaryKey.Get("type"); v.S != "binary_id" {
		t.Fatalf("primary key: %+v", rc.PrimaryKey)
	}
	if ev := pc.RepoFor("apps/x/priv/events/migrations"); ev.MigrationLock != "none" {
		t.Fatalf("events repo: %+v", ev)
	}
	if d := pc.RepoFor("priv/other_repo/migrations"); d.MigrationLock != "table_lock" {
		t.Fatalf("unknown repo gets the defaults: %+v", d)
	}
	if m := pc.RepoFor("priv/repo/manual_migrations"); m.MigrationLock != "pg_advisory_lock" {
		t.Fatalf("another directory under the repo's priv is the repo's: %+v", m)
	}
	// The config changes the SQL: the default primary key is a uuid.
	m := Build("priv/repo/migrations/1_x.exs", parseString(`defmodule M do
  use Ecto.Migration
  def change do
    create table(:t) do
      add :u, references(:users)
      timestamps()
    end
  end
end`), BuildOptions{Repo: rc})
	want := `CREATE TABLE "t" ("id" uuid, "u" uuid, CONSTRAINT "t_u_fkey" FOREIGN KEY ("u") REFERENCES "users"("id"), "inserted_at" timestamp NOT NULL, "updated_at" timestamp NOT NULL, PRIMARY KEY ("id"))`
	if got := m.Up.Ops[0].Queries[0].SQL; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// A repo config may write fragment/1's value literally: {:fragment, "sql"}.
func TestFragmentTupleDefault(t *testing.T) {
	cfg := DefaultRepoConfig()
	cfg.PrimaryKey = Value{Kind: VList, Keys: []string{"type", "default"}, Items: []Value{
		{Kind: VAtom, S: "binary_id"},
		{Kind: VTuple, Items: []Value{{Kind: VAtom, S: "fragment"}, {Kind: VString, S: "uuid_generate_v4()"}}},
	}}
	m := Build("1_x.exs", parseString("defmodule M do\n  use Ecto.Migration\n  def change do\n    create table(:t)\n  end\nend\n"), BuildOptions{Repo: cfg})
	if got := m.Up.Ops[0].Queries[0].SQL; got != `CREATE TABLE "t" ("id" uuid DEFAULT uuid_generate_v4(), PRIMARY KEY ("id"))` {
		t.Fatalf("got %s", got)
	}
	if len(m.Problems) != 0 {
		t.Fatalf("problems: %+v", m.Problems)
	}
}
