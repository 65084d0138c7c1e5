package rules

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/analysistest"
	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/grammar"
)

func TestDropIndexNotConcurrently(t *testing.T)       { testRule(t, DropIndexNotConcurrently) }
func TestConcurrentlyInTransaction(t *testing.T)      { testRule(t, ConcurrentlyInTransaction) }
func TestNonTransactionalMixedChanges(t *testing.T)   { testRule(t, NonTransactionalMixedChanges) }
func TestForeignKeyMissingNotValid(t *testing.T)      { testRule(t, ForeignKeyMissingNotValid) }
func TestCheckConstraintMissingNotValid(t *testing.T) { testRule(t, CheckConstraintMissingNotValid) }
func TestValidateInSameTransaction(t *testing.T)      { testRule(t, ValidateInSameTransaction) }
func TestUniqueConstraintBuildsIndex(t *testing.T)    { testRule(t, UniqueConstraintBuildsIndex) }
func TestExclusionConstraint(t *testing.T)            { testRule(t, ExclusionConstraint) }
func TestManyColumnsIndex(t *testing.T)               { testRule(t, ManyColumnsIndex) }

func TestConcurrentlyWithMigrationLock(t *testing.T) {
	testRule(t, ConcurrentlyWithMigrationLock)
	// The repo's migration_lock setting decides: an advisory lock holds no
	// transaction, and no lock at all has nothing to conflict with.
	path := filepath.Join("testdata", ConcurrentlyWithMigrationLock.Name, "20240101000000_lock.exs")
	for lock, want := range map[string]int{"table_lock": 3, "pg_advisory_lock": 0, "none": 0} {
		repo := analysis.DefaultRepoConfig()
		repo.MigrationLock = lock
		if got := len(runWithRepo(t, path, repo, ConcurrentlyWithMigrationLock)); got != want {
			t.Errorf("migration_lock %s: %d diagnostics, want %d", lock, got, want)
		}
	}
}

func TestForeignKeyWithoutIndex(t *testing.T) {
	testRule(t, ForeignKeyWithoutIndex)
	// Indexes the workspace knows count too.
	var schema indexTestSchema
	schema.AddIndex("", "posts", "posts_user_id_index", "user_id")
	analysistest.RunFile(t, filepath.Join("testdata", ForeignKeyWithoutIndex.Name, "schema", "20240101000003_known_indexes.exs"),
		ForeignKeyWithoutIndex, analysistest.Options{Schema: &schema})
}

// indexTestSchema is a workspace that knows indexes and nothing about Ecto
// schemas.
type indexTestSchema struct{ locks.MemSchema }

func (*indexTestSchema) SchemaFields(table, column string) []analysis.Related { return nil }
func (*indexTestSchema) Schemas(table string) []analysis.Related              { return nil }
func (*indexTestSchema) TableCreatedIn(table string) (string, int, int, bool) {
	return "", 0, 0, false
}

// runWithRepo runs one rule over a file with a repo configuration.
func runWithRepo(t *testing.T, path string, repo *analysis.RepoConfig, a *analysis.Analyzer) []analysis.Diagnostic {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := check.DefaultSettings()
	s.Repo = repo
	s.Catalog = All
	return check.Run(path, grammar.Parse(src), s, []*analysis.Analyzer{a}).Diagnostics
}
