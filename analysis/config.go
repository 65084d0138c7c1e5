package analysis

// RepoConfig holds the repo configuration that changes the SQL Ecto
// generates (ecto-sql-3.13.md section 10). The zero value is not usable:
// start from DefaultRepoConfig.
type RepoConfig struct {
	// PrimaryKey is migration_primary_key: a keyword list, or false.
	PrimaryKey Value
	// ForeignKey is migration_foreign_key (column:, type:).
	ForeignKey Value
	// Timestamps is migration_timestamps (type:, inserted_at:, ...).
	Timestamps Value
	// DefaultPrefix is migration_default_prefix.
	DefaultPrefix string
	// MapType is the :ecto_sql, :postgres_map_type setting ("jsonb").
	MapType string
	// MigrationLock is migration_lock: "table_lock" (default),
	// "pg_advisory_lock", or "none".
	MigrationLock string
	// LockTimeout is set when the repo's connection parameters set a
	// lock_timeout (`parameters: [lock_timeout: "5s"]`): every statement
	// of a migration then gives up waiting for a lock.
	LockTimeout bool
}

// DefaultRepoConfig is what Ecto uses when the repo sets nothing.
func DefaultRepoConfig() *RepoConfig {
	return &RepoConfig{
		PrimaryKey:    emptyKeyword(),
		ForeignKey:    emptyKeyword(),
		Timestamps:    emptyKeyword(),
		MapType:       "jsonb",
		MigrationLock: "table_lock",
	}
}
