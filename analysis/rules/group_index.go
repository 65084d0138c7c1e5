package rules

import "github.com/lockwise/lockwise/analysis"

// indexRules are the rules about indexes, concurrency and constraints.
var indexRules = []*analysis.Analyzer{
	IndexNotConcurrently,
	DropIndexNotConcurrently,
	ConcurrentlyInTransaction,
	ConcurrentlyWithMigrationLock,
	NonTransactionalMixedChanges,
	ForeignKeyMissingNotValid,
	CheckConstraintMissingNotValid,
	ValidateInSameTransaction,
	UniqueConstraintBuildsIndex,
	ExclusionConstraint,
	ForeignKeyWithoutIndex,
	ManyColumnsIndex,
}
