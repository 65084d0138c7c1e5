package rules

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/check"
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
