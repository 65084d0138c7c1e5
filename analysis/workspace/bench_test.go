package workspace

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// genRepo writes n realistic migrations: tables created, altered, indexed,
// renamed, with raw SQL among them.
func genRepo(b *testing.B, n int) (root, dir string) {
	root = b.TempDir()
	dir = filepath.Join(root, "priv/repo/migrations")
	os.MkdirAll(dir, 0o755)
	for i := 0; i < n; i++ {
		t := fmt.Sprintf("t%d", i/4)
		var body string
		switch i % 4 {
		case 0:
			body = fmt.Sprintf("  def change do\n    create table(:%s) do\n      add :name, :string, null: false\n      add :org_id, references(:orgs, on_delete: :delete_all)\n      add :price, :decimal, precision: 10, scale: 2\n      timestamps()\n    end\n    create unique_index(:%s, [:name])\n  end", t, t)
		case 1:
			body = fmt.Sprintf("  def change do\n    alter table(:%s) do\n      add :status, :string, default: \"new\"\n      modify :price, :decimal, precision: 12, scale: 2, from: {:decimal, precision: 10, scale: 2}\n    end\n  end", t)
		case 2:
			body = fmt.Sprintf("  def up do\n    execute \"\"\"\n    ALTER TABLE %s ADD CONSTRAINT %s_name_nn CHECK (name IS NOT NULL) NOT VALID\n    \"\"\"\n    execute \"ALTER TABLE %s VALIDATE CONSTRAINT %s_name_nn\"\n  end\n  def down, do: :ok", t, t, t, t)
		case 3:
			body = fmt.Sprintf("  @disable_ddl_transaction true\n  @disable_migration_lock true\n  def change do\n    create index(:%s, [:status], concurrently: true)\n    rename table(:%s), :status, to: :state\n  end", t, t)
		}
		src := mig(fmt.Sprintf("M%d", i), body)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%014d_m%d.exs", 20200101000000+i, i)), []byte(src), 0o644)
	}
	return root, dir
}

// BenchmarkIndex4000: reading and replaying 4,000 migrations (the figure to
// watch is ns/op; heap-MB is the live heap after indexing).
func BenchmarkIndex4000(b *testing.B) {
	root, dir := genRepo(b, 4000)
	b.ResetTimer()
	var w *Workspace
	for i := 0; i < b.N; i++ {
		w = Load(root, []string{dir}, nil)
		w.Repos()[0].Final()
	}
	b.StopTimer()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	runtime.KeepAlive(w)
}

// BenchmarkEditEarlyMigration: re-analysis after editing a migration at the
// start of a 4,000-migration history, up to the state the last one sees.
func BenchmarkEditEarlyMigration(b *testing.B) {
	root, dir := genRepo(b, 4000)
	w := Load(root, []string{dir}, nil)
	r := w.Repos()[0]
	paths := r.Paths()
	early, last := paths[10], paths[len(paths)-1]
	src, _ := os.ReadFile(early)
	edited := bytes.Replace(src, []byte("IS NOT NULL"), []byte("IS NOT NULL AND true"), 1)
	r.Before(last) // warm the checkpoints
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Alternate two versions: setting the same text again changes nothing.
		if i%2 == 0 {
			r.Set(early, edited)
		} else {
			r.Set(early, src)
		}
		if r.Before(last).Table("", "t999") == nil {
			b.Fatal("replay lost a table")
		}
	}
}
