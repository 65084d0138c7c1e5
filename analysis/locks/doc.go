// Package locks is lockwise's lock model: for each SQL statement of a
// migration (a pgsql.Stmt), the facts PostgreSQL makes true when it runs
// it — the lock taken on every relation, whether reads and writes of
// existing tables wait, whether the table is scanned or rewritten, whether
// the statement fails — and how they depend on the context (inside a
// transaction or not, Postgres version, session time zone, what is known
// of the schema, what earlier statements of the same migration did).
//
// The model only ever sees SQL: Ecto DSL commands are lowered to SQL by the
// analysis package first. Its answers follow reference/locks-pg15.tsv,
// measured on PostgreSQL 15; cases_test.go encodes each measured case. When
// an answer depends on something the model cannot see (an old column type,
// a catalog detail, a value built at run time) the Facts say so
// (MayRewrite, MayScan, Unknown, Notes) instead of guessing.
//
// Use a Session per migration direction: NewSession(ctx), then Apply each
// statement in order.
package locks
