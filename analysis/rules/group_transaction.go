package rules

import "github.com/lockwise/lockwise/analysis"

// transactionRules are the rules about transactions, data changes,
// reversibility and SQL lockwise cannot see through. ecto-rejects is not
// in DESIGN.md's catalog: it comes last.
var transactionRules = []*analysis.Analyzer{
	LockTimeoutMissing,
	IrreversibleChange,
	MissingDown,
	EnumValueInTransaction,
	BackfillWithSchemaChange,
	UnbatchedBackfill,
	SchemaModuleInMigration,
	HypertableMigrateData,
	MultiStatementExecute,
	SQLNotAnalysed,
	EctoRejects,
}
