package locks

import "github.com/lockwise/lockwise/analysis/pgsql"

// DefaultPGVersion is the PostgreSQL major version assumed when
// Context.PGVersion is 0.
const DefaultPGVersion = 15

// Context is what the model knows about how a migration runs.
type Context struct {
	// InTransaction is true when the migration runs in one transaction
	// (Ecto's default; false under @disable_ddl_transaction true).
	InTransaction bool
	// PGVersion is the PostgreSQL major version (11, 15...); 0 means
	// DefaultPGVersion.
	PGVersion int
	// AssumeUTC is true when the session TimeZone is UTC, which lets
	// PostgreSQL >= 12 change timestamp <-> timestamptz without a rewrite.
	AssumeUTC bool
	// LockTimeout is true when a lock_timeout is already in force when the
	// migration starts (set by the role, the server, or an after_begin
	// callback).
	LockTimeout bool
	// Schema is knowledge from elsewhere (the workspace replay of earlier
	// migrations, Ecto schemas); nil when there is none.
	Schema Schema
}

// version returns the PostgreSQL major version in effect.
func (c Context) version() int {
	if c.PGVersion == 0 {
		return DefaultPGVersion
	}
	return c.PGVersion
}

// Hints is knowledge about one statement that its SQL does not carry but
// the Ecto command it comes from does.
type Hints struct {
	// Table is the table the command names when the SQL does not (drop
	// index(:users, [:email]) -> DROP INDEX "users_email_index").
	Table pgsql.QName
	// OldTypes maps a column to its type before the statement, as an SQL
	// type ("varchar(255)"), from `modify ..., from: type`.
	OldTypes map[string]string
	// ForeignKeys maps the name of a foreign key constraint the statement
	// drops or validates to the table it references (remove/modify of a
	// references(...) column).
	ForeignKeys map[string]pgsql.QName
}
