package locks

import (
	"slices"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// run applies every statement of each SQL string in order in one session
// and returns the facts of the last statement.
func run(t *testing.T, ctx Context, hints Hints, sqls ...string) Facts {
	t.Helper()
	s := NewSession(ctx)
	var f Facts
	n := 0
	for _, sql := range sqls {
		for _, stmt := range pgsql.Parse(sql) {
			f = s.Apply(stmt, hints)
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no statement in %q", sqls)
	}
	return f
}

var inTx = Context{InTransaction: true, AssumeUTC: true}

// hasNote reports whether a note contains the fragment.
func hasNote(f Facts, fragment string) bool {
	for _, n := range f.Notes {
		if strings.Contains(n, fragment) {
			return true
		}
	}
	return false
}

func failCode(f Facts) string {
	if f.Fails == nil {
		return ""
	}
	return f.Fails.Code
}

func TestAddColumnDefaultByVersion(t *testing.T) {
	sql := "ALTER TABLE users ADD COLUMN active boolean DEFAULT true NOT NULL"
	pg10 := run(t, Context{InTransaction: true, PGVersion: 10}, Hints{}, sql)
	if !pg10.Rewrites || !hasNote(pg10, "PG < 11") || Classify(pg10) != Risky {
		t.Errorf("PG 10: rewrites %v class %v notes %q", pg10.Rewrites, Classify(pg10), pg10.Notes)
	}
	pg15 := run(t, inTx, Hints{}, sql)
	if pg15.Rewrites || pg15.MayRewrite || !hasNote(pg15, "PG >= 11") || Classify(pg15) != Safe {
		t.Errorf("PG 15: rewrites %v class %v notes %q", pg15.Rewrites, Classify(pg15), pg15.Notes)
	}
	nullDefault := run(t, Context{PGVersion: 10}, Hints{}, "ALTER TABLE users ADD COLUMN x integer DEFAULT NULL")
	if nullDefault.Rewrites {
		t.Error("DEFAULT NULL rewrites on PG 10")
	}
}

func TestAddColumnUnknownFunctionDefault(t *testing.T) {
	f := run(t, inTx, Hints{}, "ALTER TABLE users ADD COLUMN token text DEFAULT make_token()")
	if f.Rewrites || !f.MayRewrite || !hasNote(f, "make_token") || Classify(f) != Risky {
		t.Errorf("rewrites %v may %v class %v notes %q", f.Rewrites, f.MayRewrite, Classify(f), f.Notes)
	}
}

func TestAlterColumnTypeOldType(t *testing.T) {
	tests := []struct {
		name        string
		ctx         Context
		hints       Hints
		sql         string
		rewrite     bool
		mayRewrite  bool
		mayScan     bool
		noteContain string
	}{
		{"old type unknown", inTx, Hints{}, `ALTER TABLE "users" ALTER COLUMN "name" TYPE varchar(255)`,
			false, true, false, "old type is not known"},
		{"from: same type (Ecto modify)", inTx, Hints{OldTypes: map[string]string{"name": "varchar(255)"}},
			`ALTER TABLE "users" ALTER COLUMN "name" TYPE varchar(255)`, false, false, false, "same type"},
		{"from: character varying spelling", inTx, Hints{OldTypes: map[string]string{"name": "character varying(255)"}},
			`ALTER TABLE "users" ALTER COLUMN "name" TYPE varchar(255)`, false, false, false, "same type"},
		{"widening", inTx, Hints{OldTypes: map[string]string{"name": "varchar(50)"}},
			`ALTER TABLE "users" ALTER COLUMN "name" TYPE varchar(255)`, false, false, false, "raises the length limit"},
		{"shrinking", inTx, Hints{OldTypes: map[string]string{"name": "varchar(255)"}},
			`ALTER TABLE "users" ALTER COLUMN "name" TYPE varchar(100)`, true, false, false, "rewrites"},
		{"varchar to text", inTx, Hints{OldTypes: map[string]string{"name": "varchar(255)"}},
			`ALTER TABLE "users" ALTER COLUMN "name" TYPE text`, false, false, false, "binary coercible"},
		{"text to varchar(n)", inTx, Hints{OldTypes: map[string]string{"name": "text"}},
			`ALTER TABLE "users" ALTER COLUMN "name" TYPE varchar(10)`, true, false, false, "rewrites"},
		{"numeric precision up", inTx, Hints{OldTypes: map[string]string{"p": "decimal(10,2)"}},
			`ALTER TABLE "users" ALTER COLUMN "p" TYPE numeric(12,2)`, false, false, false, "keeps the scale"},
		{"numeric scale change", inTx, Hints{OldTypes: map[string]string{"p": "numeric(10,2)"}},
			`ALTER TABLE "users" ALTER COLUMN "p" TYPE numeric(12,4)`, true, false, false, "rewrites"},
		{"numeric to unconstrained", inTx, Hints{OldTypes: map[string]string{"p": "numeric(10,2)"}},
			`ALTER TABLE "users" ALTER COLUMN "p" TYPE numeric`, false, false, false, "no rewrite"},
		{"int to bigint", inTx, Hints{OldTypes: map[string]string{"n": "integer"}},
			`ALTER TABLE "users" ALTER COLUMN "n" TYPE bigint`, true, false, false, "integer -> bigint"},
		{"timestamp to timestamptz in UTC", inTx, Hints{OldTypes: map[string]string{"at": "timestamp(0)"}},
			`ALTER TABLE "users" ALTER COLUMN "at" TYPE timestamptz`, false, false, true, "TimeZone UTC"},
		{"timestamp to timestamptz not UTC", Context{InTransaction: true}, Hints{OldTypes: map[string]string{"at": "timestamp"}},
			`ALTER TABLE "users" ALTER COLUMN "at" TYPE timestamptz`, true, false, false, "unless the session TimeZone is UTC"},
		{"timestamp to timestamptz on PG 11", Context{InTransaction: true, PGVersion: 11, AssumeUTC: true},
			Hints{OldTypes: map[string]string{"at": "timestamp"}},
			`ALTER TABLE "users" ALTER COLUMN "at" TYPE timestamptz`, true, false, false, "PG < 12"},
		{"timestamp precision down", inTx, Hints{OldTypes: map[string]string{"at": "timestamp"}},
			`ALTER TABLE "users" ALTER COLUMN "at" TYPE timestamp(0)`, true, false, false, "rewrites"},
		{"USING", inTx, Hints{OldTypes: map[string]string{"code": "text"}},
			`ALTER TABLE "users" ALTER COLUMN "code" TYPE integer USING code::integer`, true, false, false, "USING"},
		{"array element change", inTx, Hints{OldTypes: map[string]string{"tags": "varchar(255)[]"}},
			`ALTER TABLE "users" ALTER COLUMN "tags" TYPE text[]`, true, false, false, "rewrites"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := run(t, tt.ctx, tt.hints, tt.sql)
			if f.Rewrites != tt.rewrite || f.MayRewrite != tt.mayRewrite || f.MayScan != tt.mayScan || !hasNote(f, tt.noteContain) {
				t.Errorf("rewrites %v may %v mayScan %v, want %v %v %v; notes %q",
					f.Rewrites, f.MayRewrite, f.MayScan, tt.rewrite, tt.mayRewrite, tt.mayScan, f.Notes)
			}
			if f.Mode != AccessExclusive {
				t.Errorf("mode %v, want ACCESS EXCLUSIVE even without a rewrite", f.Mode)
			}
		})
	}
}

func TestAlterColumnTypeFromEarlierStatement(t *testing.T) {
	// The type set by an earlier statement of the migration is the old
	// type of the next change.
	f := run(t, inTx, Hints{},
		"ALTER TABLE users ADD COLUMN name varchar(50)",
		"ALTER TABLE users ALTER COLUMN name TYPE varchar(100)")
	if f.Rewrites || f.MayRewrite {
		t.Errorf("widening after ADD COLUMN: rewrites %v may %v", f.Rewrites, f.MayRewrite)
	}
	f = run(t, inTx, Hints{}, "ALTER TABLE users ALTER COLUMN id TYPE bigserial")
	if failCode(f) != "42704" || f.Fails.Condition != "" {
		t.Errorf("serial as a TYPE target: fails %+v", f.Fails)
	}
}

func TestNewTableInMigration(t *testing.T) {
	create := `CREATE TABLE "users" ("id" bigserial, "email" varchar(255), PRIMARY KEY ("id"))`
	tests := []struct {
		sql string
	}{
		{`ALTER TABLE "users" ADD COLUMN "age" integer NOT NULL`},
		{`ALTER TABLE "users" ADD COLUMN "uid" uuid DEFAULT gen_random_uuid()`},
		{`CREATE INDEX "users_email_index" ON "users" ("email")`},
		{`ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL`},
		{`ALTER TABLE "users" RENAME "email" TO "mail"`},
		{`ALTER TABLE "users" DROP COLUMN "email"`},
		{`DROP TABLE "users"`},
	}
	for _, tt := range tests {
		f := run(t, inTx, Hints{}, create, tt.sql)
		if !f.TableNew || f.Fails != nil || f.Scans || f.Rewrites || f.BlocksReads || f.BlocksWrites ||
			f.LosesData || f.BreaksApp || Classify(f) != Safe {
			t.Errorf("%s after CREATE TABLE: %+v", tt.sql, f)
		}
		if !strings.Contains(f.Explanation, "created earlier in this migration") {
			t.Errorf("%s: explanation %q", tt.sql, f.Explanation)
		}
	}
	// A table the workspace knows to be unreleased counts as new too.
	schema := &MemSchema{}
	schema.MarkNew("", "users")
	f := run(t, Context{InTransaction: true, Schema: schema}, Hints{}, `ALTER TABLE "users" ADD COLUMN "age" integer NOT NULL`)
	if !f.TableNew || f.Fails != nil {
		t.Errorf("unreleased table: new %v fails %+v", f.TableNew, f.Fails)
	}
	// Renamed, it stays new.
	f = run(t, inTx, Hints{}, create, `ALTER TABLE "users" RENAME TO "people"`, `ALTER TABLE "people" ADD COLUMN "age" integer NOT NULL`)
	if !f.TableNew || f.Fails != nil {
		t.Errorf("renamed new table: new %v fails %+v", f.TableNew, f.Fails)
	}
}

func TestConcurrentlyAndTransactions(t *testing.T) {
	tests := []struct {
		sql  string
		code string
	}{
		{`CREATE INDEX CONCURRENTLY "users_email_index" ON "users" ("email")`, "25001"},
		{`DROP INDEX CONCURRENTLY "users_email_index"`, "25001"},
		{`REINDEX INDEX CONCURRENTLY users_email_index`, "25001"},
		{`REINDEX TABLE CONCURRENTLY users`, "25001"},
		{`VACUUM users`, "25001"},
		{`ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY`, "25001"},
		{`REINDEX SCHEMA public`, "25001"},
	}
	for _, tt := range tests {
		f := run(t, inTx, Hints{}, tt.sql)
		if failCode(f) != tt.code || f.Fails.Condition != "" || len(f.Locks) != 0 || Classify(f) != Dangerous ||
			!strings.HasPrefix(f.Explanation, "fails: ERROR "+tt.code) {
			t.Errorf("%s in a transaction: fails %+v locks %v explanation %q", tt.sql, f.Fails, f.Locks, f.Explanation)
		}
		out := run(t, Context{}, Hints{}, tt.sql)
		if out.Fails != nil {
			t.Errorf("%s outside a transaction fails: %+v", tt.sql, out.Fails)
		}
	}
	f := run(t, Context{}, Hints{}, `CREATE INDEX CONCURRENTLY "users_email_index" ON "users" ("email")`)
	if f.Mode != ShareUpdateExclusive || f.BlocksReads || f.BlocksWrites || !f.Scans || Classify(f) != Safe {
		t.Errorf("CREATE INDEX CONCURRENTLY outside a transaction: %+v", f)
	}
	// An explicit BEGIN in SQL starts a transaction even without Ecto's.
	f = run(t, Context{}, Hints{}, "BEGIN", `CREATE INDEX CONCURRENTLY i ON users (email)`)
	if failCode(f) != "25001" {
		t.Errorf("CONCURRENTLY after BEGIN: %+v", f.Fails)
	}
	f = run(t, Context{}, Hints{}, `DROP INDEX CONCURRENTLY a, b`)
	if failCode(f) != "0A000" {
		t.Errorf("DROP INDEX CONCURRENTLY of two indexes: %+v", f.Fails)
	}
	f = run(t, Context{PGVersion: 11}, Hints{}, `REINDEX INDEX CONCURRENTLY users_email_index`)
	if failCode(f) != "42601" {
		t.Errorf("REINDEX CONCURRENTLY on PG 11: %+v", f.Fails)
	}
	f = run(t, Context{}, Hints{}, `LOCK TABLE users IN SHARE MODE`)
	if failCode(f) != "25P01" {
		t.Errorf("LOCK TABLE outside a transaction: %+v", f.Fails)
	}
}

func TestLocksHeldByEarlierStatements(t *testing.T) {
	// The index build runs while the ACCESS EXCLUSIVE of the ADD COLUMN
	// is still held: reads wait too.
	f := run(t, inTx, Hints{}, "ALTER TABLE users ADD COLUMN c integer", "CREATE INDEX users_c_idx ON users (c)")
	if f.Mode != Share || f.Held != AccessExclusive || !f.BlocksReads || !f.BlocksWrites {
		t.Errorf("mode %v held %v reads %v writes %v", f.Mode, f.Held, f.BlocksReads, f.BlocksWrites)
	}
	if !strings.Contains(f.Explanation, "already holds ACCESS EXCLUSIVE") {
		t.Errorf("explanation %q", f.Explanation)
	}
	// Outside a transaction each statement commits: nothing is held.
	f = run(t, Context{}, Hints{}, "ALTER TABLE users ADD COLUMN c integer", "CREATE INDEX users_c_idx ON users (c)")
	if f.Held != None || f.BlocksReads {
		t.Errorf("autocommit: held %v reads %v", f.Held, f.BlocksReads)
	}
	// COMMIT releases them.
	f = run(t, inTx, Hints{}, "ALTER TABLE users ADD COLUMN c integer", "COMMIT", "BEGIN", "CREATE INDEX users_c_idx ON users (c)")
	if f.Held != None || f.BlocksReads {
		t.Errorf("after COMMIT: held %v reads %v", f.Held, f.BlocksReads)
	}
}

func TestValidateInSameTransaction(t *testing.T) {
	add := `ALTER TABLE "users" ADD CONSTRAINT "age_positive" CHECK (age > 0) NOT VALID`
	validate := `ALTER TABLE "users" VALIDATE CONSTRAINT "age_positive"`
	f := run(t, inTx, Hints{}, add, validate)
	if !f.ValidateSameTx || f.Mode != ShareUpdateExclusive || f.Held != AccessExclusive || !f.BlocksReads || Classify(f) != Risky {
		t.Errorf("same transaction: sameTx %v mode %v held %v reads %v class %v", f.ValidateSameTx, f.Mode, f.Held, f.BlocksReads, Classify(f))
	}
	f = run(t, inTx, Hints{}, add, "COMMIT", "BEGIN", validate)
	if f.ValidateSameTx || f.BlocksReads || f.BlocksWrites || Classify(f) != Safe {
		t.Errorf("after COMMIT: sameTx %v reads %v writes %v class %v", f.ValidateSameTx, f.BlocksReads, f.BlocksWrites, Classify(f))
	}
	// A foreign key validated later locks the referenced table ROW SHARE.
	f = run(t, inTx, Hints{}, `ALTER TABLE "posts" ADD CONSTRAINT "posts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") NOT VALID`,
		"COMMIT", "BEGIN", `ALTER TABLE "posts" VALIDATE CONSTRAINT "posts_user_id_fkey"`)
	if f.Lock("users") != RowShare || !f.Scans {
		t.Errorf("FK validation: users lock %v scans %v", f.Lock("users"), f.Scans)
	}
}

func TestSetNotNullWithCheck(t *testing.T) {
	steps := []string{
		`ALTER TABLE "users" ADD CONSTRAINT "email_not_null" CHECK (email IS NOT NULL) NOT VALID`,
		`ALTER TABLE "users" VALIDATE CONSTRAINT "email_not_null"`,
		`ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL`,
	}
	f := run(t, Context{}, Hints{}, steps...)
	if f.Scans || !hasNote(f, "no scan") || Classify(f) != Safe {
		t.Errorf("PG 15 after a validated check: scans %v class %v notes %q", f.Scans, Classify(f), f.Notes)
	}
	f = run(t, Context{PGVersion: 11}, Hints{}, steps...)
	if !f.Scans || !hasNote(f, "PG < 12") {
		t.Errorf("PG 11: scans %v notes %q", f.Scans, f.Notes)
	}
	f = run(t, Context{}, Hints{}, steps[0], steps[2])
	if !f.Scans || Classify(f) != Risky {
		t.Errorf("NOT VALID check only: scans %v class %v", f.Scans, Classify(f))
	}
}

func TestEnumValueInTransaction(t *testing.T) {
	add := "ALTER TYPE mood ADD VALUE 'happy'"
	f := run(t, Context{InTransaction: true, PGVersion: 11}, Hints{}, add)
	if failCode(f) != "25001" || f.Fails.Condition != "" {
		t.Errorf("PG 11 in a transaction: %+v", f.Fails)
	}
	f = run(t, inTx, Hints{}, add)
	if f.Fails != nil || f.Lock("mood") != Exclusive || !hasNote(f, "55P04") {
		t.Errorf("PG 15 ADD VALUE: fails %+v lock %v notes %q", f.Fails, f.Lock("mood"), f.Notes)
	}
	f = run(t, inTx, Hints{}, add, "UPDATE t SET m = 'happy'::mood WHERE id = 1")
	if failCode(f) != "55P04" || f.Fails.Condition != "" || Classify(f) != Dangerous {
		t.Errorf("cast use: %+v", f.Fails)
	}
	f = run(t, inTx, Hints{}, add, "UPDATE t SET m = 'happy' WHERE id = 1")
	if failCode(f) != "55P04" || !strings.Contains(f.Fails.Condition, "if 'happy' is used") {
		t.Errorf("uncast use: %+v", f.Fails)
	}
	f = run(t, inTx, Hints{}, add, "UPDATE t SET m = 'sad' WHERE id = 1")
	if f.Fails != nil {
		t.Errorf("other value: %+v", f.Fails)
	}
	f = run(t, Context{}, Hints{}, add, "UPDATE t SET m = 'happy' WHERE id = 1")
	if f.Fails != nil {
		t.Errorf("autocommit: %+v", f.Fails)
	}
	f = run(t, inTx, Hints{}, add, "COMMIT", "BEGIN", "UPDATE t SET m = 'happy' WHERE id = 1")
	if f.Fails != nil {
		t.Errorf("after COMMIT: %+v", f.Fails)
	}
	f = run(t, inTx, Hints{}, "CREATE TYPE mood AS ENUM ('sad')", add, "UPDATE t SET m = 'happy'::mood WHERE id = 1")
	if failCode(f) != "55P04" || f.Fails.Condition != "" {
		t.Errorf("type created in the same transaction: %+v", f.Fails)
	}
}

func TestLockTimeout(t *testing.T) {
	alter := "ALTER TABLE users ADD COLUMN c integer"
	tests := []struct {
		name string
		ctx  Context
		sqls []string
		want bool
	}{
		{"none", inTx, []string{alter}, false},
		{"from the context", Context{InTransaction: true, LockTimeout: true}, []string{alter}, true},
		{"SET", inTx, []string{"SET lock_timeout TO '5s'", alter}, true},
		{"SET 0 disables", inTx, []string{"SET lock_timeout = 0", alter}, false},
		{"SET LOCAL", inTx, []string{"SET LOCAL lock_timeout = '2s'", alter}, true},
		{"SET LOCAL ends with the transaction", inTx, []string{"SET LOCAL lock_timeout = '2s'", "COMMIT", alter}, false},
		{"RESET", inTx, []string{"SET lock_timeout = '5s'", "RESET lock_timeout", alter}, false},
		{"RESET ALL", inTx, []string{"SET lock_timeout = '5s'", "RESET ALL", alter}, false},
		{"set_config", inTx, []string{"SELECT set_config('lock_timeout', '3s', false)", alter}, true},
	}
	for _, tt := range tests {
		if f := run(t, tt.ctx, Hints{}, tt.sqls...); f.LockTimeout != tt.want {
			t.Errorf("%s: LockTimeout %v, want %v", tt.name, f.LockTimeout, tt.want)
		}
	}
}

func TestUnknownAndParseErrors(t *testing.T) {
	dyn := run(t, inTx, Hints{}, "ALTER TABLE "+pgsql.PlaceholderPrefix+"1 ADD COLUMN c integer")
	if !dyn.Unknown || dyn.Mode != AccessExclusive || Classify(dyn) != Unknown {
		t.Errorf("dynamic table: unknown %v mode %v class %v", dyn.Unknown, dyn.Mode, Classify(dyn))
	}
	bad := run(t, inTx, Hints{}, "ALTER TABLE t ALTER COLUMN c SET EXPRESSION AS (1)")
	if !bad.Unknown || bad.Fails != nil || !hasNote(bad, "could not be parsed") {
		t.Errorf("unparsable: %+v", bad)
	}
	excl := run(t, inTx, Hints{}, "ALTER TABLE t ADD CONSTRAINT e EXCLUDE USING btree (code WITH =) NOT VALID")
	if failCode(excl) != "0A000" || excl.Unknown || Classify(excl) != Dangerous {
		t.Errorf("EXCLUDE NOT VALID: %+v", excl)
	}
	do := run(t, inTx, Hints{}, "DO $$ BEGIN UPDATE t SET i = 1; END $$")
	if !do.Unknown {
		t.Error("DO block is not Unknown")
	}
	other := run(t, inTx, Hints{}, "CREATE SCHEMA audit")
	if !other.Unknown || !hasNote(other, "CreateSchemaStmt") {
		t.Errorf("unmodelled statement: %+v", other)
	}
}

func TestDropIndexTable(t *testing.T) {
	f := run(t, inTx, Hints{Table: pgsql.QName{Name: "users"}}, `DROP INDEX "users_email_index"`)
	if f.Table != "users" || f.Mode != AccessExclusive || f.Lock("users_email_index") != AccessExclusive {
		t.Errorf("with the hint: table %q mode %v locks %+v", f.Table, f.Mode, f.Locks)
	}
	f = run(t, inTx, Hints{}, `DROP INDEX "users_email_index"`)
	if f.Table != "" || !f.BlocksReads || !f.BlocksWrites || !hasNote(f, "table is not known") {
		t.Errorf("without the hint: %+v", f)
	}
	// An index created earlier in the migration knows its table, and is new.
	f = run(t, inTx, Hints{}, `CREATE INDEX "users_email_index" ON "users" ("email")`, `DROP INDEX "users_email_index"`)
	if f.Table != "users" {
		t.Errorf("index created earlier: table %q", f.Table)
	}
	schema := &MemSchema{}
	schema.AddIndex("", "users", "users_email_index", "email")
	f = run(t, Context{Schema: schema}, Hints{}, `DROP INDEX CONCURRENTLY "users_email_index"`)
	if f.Table != "users" || f.Mode != ShareUpdateExclusive || f.BlocksWrites {
		t.Errorf("from the schema: table %q mode %v", f.Table, f.Mode)
	}
}

func TestHypertable(t *testing.T) {
	f := run(t, inTx, Hints{}, "SELECT create_hypertable('conditions', 'time', migrate_data => true)")
	if f.Table != "conditions" || !f.Rewrites || f.Mode != AccessExclusive || Classify(f) != Risky {
		t.Errorf("migrate_data: %+v", f)
	}
	f = run(t, inTx, Hints{}, "SELECT create_hypertable('conditions', 'time')")
	if f.Fails == nil || f.Fails.Condition == "" {
		t.Errorf("without migrate_data: %+v", f.Fails)
	}
	f = run(t, inTx, Hints{}, "CREATE TABLE conditions (time timestamptz NOT NULL)", "SELECT create_hypertable('conditions', 'time')")
	if f.Fails != nil {
		t.Errorf("new table: %+v", f.Fails)
	}
	f = run(t, inTx, Hints{}, "SELECT my_backfill()")
	if !f.Unknown {
		t.Error("unknown function call is not Unknown")
	}
}

func TestVersionDependentLocks(t *testing.T) {
	f := run(t, Context{PGVersion: 11}, Hints{}, "ALTER INDEX i RENAME TO j")
	if f.Lock("i") != AccessExclusive {
		t.Errorf("PG 11 index rename: %v", f.Lock("i"))
	}
	f = run(t, Context{}, Hints{}, "ALTER INDEX i RENAME TO j")
	if f.Lock("i") != ShareUpdateExclusive {
		t.Errorf("PG 15 index rename: %v", f.Lock("i"))
	}
	f = run(t, Context{PGVersion: 11}, Hints{}, "ALTER TABLE p ATTACH PARTITION p1 FOR VALUES IN (1)")
	if f.Mode != AccessExclusive {
		t.Errorf("PG 11 attach: %v", f.Mode)
	}
	f = run(t, Context{}, Hints{}, "ALTER TABLE p ATTACH PARTITION p1 FOR VALUES IN (1)")
	if f.Mode != ShareUpdateExclusive || f.Lock("p1") != AccessExclusive {
		t.Errorf("PG 15 attach: %v / %v", f.Mode, f.Lock("p1"))
	}
}

func TestExplanation(t *testing.T) {
	tests := []struct {
		ctx  Context
		sql  string
		want string
	}{
		{inTx, `ALTER TABLE "users" ADD COLUMN "uid" uuid DEFAULT gen_random_uuid()`,
			`holds ACCESS EXCLUSIVE on "users" while it rewrites the table and rebuilds its indexes: reads and writes wait for time proportional to the table size`},
		{inTx, `CREATE INDEX "users_email_index" ON "users" ("email")`,
			`holds SHARE on "users" while it builds the index: writes wait for time proportional to the table size`},
		{Context{}, `CREATE INDEX CONCURRENTLY "users_email_index" ON "users" ("email")`,
			`takes SHARE UPDATE EXCLUSIVE on "users" and builds the index in two passes over the table: reads and writes continue`},
		{inTx, `ALTER TABLE "users" ADD COLUMN "age" integer`,
			`takes ACCESS EXCLUSIVE on "users" briefly (catalog change): reads and writes wait from the moment it queues for the lock until the transaction commits`},
		{Context{}, `ALTER TABLE "users" ADD COLUMN "age" integer`,
			`takes ACCESS EXCLUSIVE on "users" briefly (catalog change): reads and writes wait only while it waits for the lock and runs`},
		{inTx, `CREATE TABLE "posts" ("id" bigserial, "user_id" bigint REFERENCES "users"("id"), PRIMARY KEY ("id"))`,
			`creates "posts"; takes SHARE ROW EXCLUSIVE on "users": writes of it wait from the moment it queues for the lock until the transaction commits`},
		{inTx, `CREATE TABLE "orgs" ("id" bigserial, PRIMARY KEY ("id"))`, `creates "orgs"`},
		{inTx, `CREATE MATERIALIZED VIEW "stats" AS SELECT count(*) FROM users`, `creates "stats"; takes ACCESS SHARE on "users" and reads it: nothing waits`},
		{inTx, `ALTER TABLE "users" ADD COLUMN "age" integer NOT NULL`,
			`holds ACCESS EXCLUSIVE on "users" while it checks every row for NULLs: reads and writes wait for time proportional to the table size; fails (ERROR 23502) if the table has any row`},
		{inTx, `CREATE INDEX CONCURRENTLY "i" ON "users" ("email")`,
			`fails: ERROR 25001: CREATE INDEX CONCURRENTLY cannot run inside a transaction block`},
		{inTx, `ALTER TABLE "users" ALTER COLUMN "name" TYPE text`,
			`holds ACCESS EXCLUSIVE on "users" while it may rewrite the table (see notes): reads and writes wait for time proportional to the table size`},
		{inTx, `ALTER TYPE mood ADD VALUE 'happy'`, `takes EXCLUSIVE on type "mood"`},
		{inTx, `COMMENT ON TABLE users IS 'x'`, `takes SHARE UPDATE EXCLUSIVE on "users": blocks neither reads nor writes`},
	}
	for _, tt := range tests {
		if f := run(t, tt.ctx, Hints{}, tt.sql); f.Explanation != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.sql, f.Explanation, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		f    Facts
		want Classification
	}{
		{"instant catalog change", Facts{Mode: AccessExclusive, BlocksReads: true, BlocksWrites: true}, Safe},
		{"scan under a blocking lock", Facts{Scans: true, BlocksWrites: true}, Risky},
		{"maybe rewrite under a blocking lock", Facts{MayRewrite: true, BlocksReads: true}, Risky},
		{"scan blocking nothing", Facts{Scans: true}, Safe},
		{"conditional failure", Facts{Fails: &Failure{Code: "23502", Condition: "if the table has any row"}}, Dangerous},
		{"data loss", Facts{LosesData: true}, Dangerous},
		{"breaks running code", Facts{BreaksApp: true}, Dangerous},
		{"unknown", Facts{Unknown: true}, Unknown},
		{"unknown but risky", Facts{Unknown: true, Scans: true, BlocksReads: true}, Risky},
	}
	for _, tt := range tests {
		if got := Classify(tt.f); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	for c, s := range map[Classification]string{Safe: "safe", Risky: "risky", Dangerous: "dangerous", Unknown: "unknown"} {
		if c.String() != s {
			t.Errorf("%d.String() = %q", c, c.String())
		}
	}
}

// The indexes of a column whose type changes are rebuilt under ACCESS
// EXCLUSIVE: when the model does not know them, a weaker lock it reports
// on "all indexes" of the table is only a lower bound.
func TestUnknownColumnIndexesMakeIndexLocksLowerBounds(t *testing.T) {
	sql := `ALTER TABLE "t" ALTER COLUMN "p_id" TYPE bigint, ADD CONSTRAINT "t_p_id_fkey" FOREIGN KEY ("p_id") REFERENCES "p"("id")`
	allIndexes := func(f Facts) *Lock {
		for i, l := range f.Locks {
			if l.Kind == KindAllIndexes {
				return &f.Locks[i]
			}
		}
		t.Fatalf("no lock on all indexes: %+v", f.Locks)
		return nil
	}
	if l := allIndexes(run(t, Context{}, Hints{OldTypes: map[string]string{"p_id": "bigint"}}, sql)); l.Mode != AccessShare || !l.AtLeast {
		t.Errorf("indexes unknown: %+v, want ACCESS SHARE at least", *l)
	}
	known := &MemSchema{}
	known.AddColumn("", "t", "p_id", "bigint")
	known.AddIndex("", "t", "t_p_id_index", "p_id")
	f := run(t, Context{Schema: known}, Hints{}, sql)
	if l := allIndexes(f); l.Mode != AccessShare || l.AtLeast {
		t.Errorf("indexes known: %+v, want exactly ACCESS SHARE", *l)
	}
	if f.Lock("t_p_id_index") != AccessExclusive {
		t.Errorf("the column's index: %v, want ACCESS EXCLUSIVE", f.Lock("t_p_id_index"))
	}
	// A rewrite locks every index ACCESS EXCLUSIVE: exact.
	if l := allIndexes(run(t, Context{}, Hints{OldTypes: map[string]string{"p_id": "integer"}}, sql)); l.Mode != AccessExclusive || l.AtLeast {
		t.Errorf("rewrite: %+v", *l)
	}
}

// Answers corrected after TestRealPostgres compared them with a server.
func TestMeasuredCorrections(t *testing.T) {
	withIndex := &MemSchema{}
	withIndex.AddIndex("", "t", "t_i_idx", "i")
	tests := []struct {
		name  string
		ctx   Context
		sql   string
		check func(f Facts) bool
	}{
		{"ALTER CONSTRAINT takes ACCESS EXCLUSIVE", inTx, "ALTER TABLE t ALTER CONSTRAINT t_p_fkey DEFERRABLE",
			func(f Facts) bool { return f.Mode == AccessExclusive && f.BlocksReads }},
		{"ATTACH PARTITION may scan the partition", inTx, "ALTER TABLE pt ATTACH PARTITION pt1 FOR VALUES FROM (1) TO (10)",
			func(f Facts) bool { return f.MayScan && !f.Scans && f.Lock("pt1") == AccessExclusive }},
		{"REFRESH rewrites the view", inTx, "REFRESH MATERIALIZED VIEW mv",
			func(f Facts) bool { return f.Rewrites && f.MayScan && !f.Scans && f.Lock("mv") == AccessExclusive }},
		{"REFRESH CONCURRENTLY rewrites nothing", inTx, "REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
			func(f Facts) bool {
				return !f.Rewrites && f.MayScan && f.Lock("mv") == Exclusive && !f.BlocksReads &&
					slices.Contains(f.Locks, Lock{Relation: "mv", Kind: KindAllIndexes, Mode: RowExclusive})
			}},
		{"RENAME TYPE locks nothing", inTx, "ALTER TYPE mood RENAME TO mood2",
			func(f Facts) bool { return len(f.Locks) == 0 && !f.Unknown }},
		{"DROP TYPE CASCADE drops unknown columns", inTx, "DROP TYPE mood CASCADE",
			func(f Facts) bool { return f.Unknown && f.LosesData }},
		{"COMMENT ON CONSTRAINT", inTx, "COMMENT ON CONSTRAINT t_pkey ON t IS 'x'",
			func(f Facts) bool { return f.Mode == AccessShare }},
		{"COMMENT ON TRIGGER", inTx, "COMMENT ON TRIGGER trg ON t IS 'x'",
			func(f Facts) bool { return f.Mode == AccessShare }},
		{"CREATE INDEX IF NOT EXISTS of a known index", Context{InTransaction: true, Schema: withIndex}, "CREATE INDEX IF NOT EXISTS t_i_idx ON t (i)",
			func(f Facts) bool { return f.Mode == Share && len(f.Locks) == 1 && !f.Scans }},
		{"CREATE INDEX IF NOT EXISTS of an unknown index", inTx, "CREATE INDEX IF NOT EXISTS t_i_idx ON t (i)",
			func(f Facts) bool { return f.Scans && f.Lock("t_i_idx") == AccessExclusive }},
		{"filtered UPDATE may scan", inTx, "UPDATE t SET a = 1 WHERE id = 1",
			func(f Facts) bool { return f.MayScan && !f.Scans }},
		{"INSERT ... SELECT may scan", inTx, "INSERT INTO t (a) SELECT a FROM u",
			func(f Facts) bool { return f.MayScan && hasNote(f, "plan") }},
		{"INSERT ... VALUES reads nothing", inTx, "INSERT INTO t (a) VALUES (1)",
			func(f Facts) bool { return !f.MayScan && !f.Scans }},
		{"SELECT from a table may scan", inTx, "SELECT * FROM t",
			func(f Facts) bool { return f.MayScan }},
		{"DROP INDEX CONCURRENTLY of two indexes in a transaction", inTx, "DROP INDEX CONCURRENTLY a, b",
			func(f Facts) bool { return failCode(f) == "25001" }},
		{"DROP INDEX CONCURRENTLY of two indexes", Context{}, "DROP INDEX CONCURRENTLY a, b",
			func(f Facts) bool { return failCode(f) == "0A000" }},
	}
	for _, tt := range tests {
		if f := run(t, tt.ctx, Hints{}, tt.sql); !tt.check(f) {
			t.Errorf("%s: %q: mode %v locks %+v scans %v/%v rewrites %v fails %+v unknown %v notes %q",
				tt.name, tt.sql, f.Mode, f.Locks, f.Scans, f.MayScan, f.Rewrites, f.Fails, f.Unknown, f.Notes)
		}
	}
}

// A lock an earlier statement took on an existing table is held until the
// end of the transaction: later statements, whatever their table, keep its
// traffic waiting.
func TestHeldLocksOnOtherTablesBlock(t *testing.T) {
	create := `CREATE TABLE "newt" ("id" bigserial PRIMARY KEY, "t_id" bigint REFERENCES "t"("id"))`
	index := `CREATE INDEX "newt_t_id_index" ON "newt" ("t_id")`
	f := run(t, inTx, Hints{}, create, index)
	if !f.TableNew || f.BlocksReads || !f.BlocksWrites {
		t.Errorf("in a transaction: new %v, blocks reads %v writes %v", f.TableNew, f.BlocksReads, f.BlocksWrites)
	}
	f = run(t, Context{}, Hints{}, create, index)
	if f.BlocksReads || f.BlocksWrites {
		t.Errorf("without a transaction nothing is held: blocks reads %v writes %v", f.BlocksReads, f.BlocksWrites)
	}
}

// A table created by the migration is empty only until the migration
// writes into it; dropping it drops its foreign keys' triggers on the
// tables they reference.
func TestNewTablesFilledOrReferencing(t *testing.T) {
	create := "CREATE TABLE newt (id bigint, t_id bigint REFERENCES t(id))"
	addNotNull := "ALTER TABLE newt ADD COLUMN c integer NOT NULL"
	if f := run(t, inTx, Hints{}, create, addNotNull); f.Fails != nil {
		t.Errorf("empty new table: %+v", f.Fails)
	}
	for _, fill := range []string{"INSERT INTO newt (id) VALUES (1)", "INSERT INTO newt (id) SELECT id FROM t"} {
		if f := run(t, inTx, Hints{}, create, fill, addNotNull); failCode(f) != "23502" || f.Fails.Condition == "" {
			t.Errorf("after %q: %+v", fill, f.Fails)
		}
	}
	if f := run(t, inTx, Hints{}, "CREATE TABLE newt AS SELECT id FROM t", addNotNull); failCode(f) != "23502" {
		t.Errorf("CREATE TABLE AS: %+v", f.Fails)
	}
	f := run(t, inTx, Hints{}, create, "DROP TABLE newt")
	if f.Lock("t") != AccessExclusive || !f.BlocksReads {
		t.Errorf("DROP TABLE of a table referencing t: lock on t %v, blocks reads %v", f.Lock("t"), f.BlocksReads)
	}
	f = run(t, inTx, Hints{}, "CREATE TABLE newt (id bigint)", "ALTER TABLE newt ADD CONSTRAINT newt_fk FOREIGN KEY (id) REFERENCES parent(id)", "DROP TABLE newt")
	if f.Lock("parent") != AccessExclusive {
		t.Errorf("DROP TABLE after ADD CONSTRAINT: lock on parent %v", f.Lock("parent"))
	}
}

// A table emptied earlier in the transaction holds no row: the statements
// that would scan or fail on its rows do neither, until rows come back.
func TestEmptiedTables(t *testing.T) {
	addNotNull := "ALTER TABLE t ADD COLUMN c integer NOT NULL"
	for _, empty := range []string{"TRUNCATE t", "DELETE FROM t"} {
		f := run(t, inTx, Hints{}, empty, addNotNull)
		if f.Fails != nil || f.Scans || f.MayScan {
			t.Errorf("after %q: fails %+v, scans %v/%v", empty, f.Fails, f.Scans, f.MayScan)
		}
		if !hasNote(f, "emptied earlier") {
			t.Errorf("after %q: no note: %v", empty, f.Notes)
		}
		if f.Lock("t") != AccessExclusive {
			t.Errorf("after %q: the lock is still taken: %v", empty, f.Lock("t"))
		}
		if f := run(t, inTx, Hints{}, empty, "ALTER TABLE t ALTER COLUMN i TYPE bigint"); f.Rewrites || f.MayRewrite {
			t.Errorf("after %q: an empty table is not rewritten", empty)
		}
		if f := run(t, inTx, Hints{}, empty, "INSERT INTO t (id) VALUES (1)", addNotNull); failCode(f) != "23502" {
			t.Errorf("after %q and an INSERT: %+v", empty, f.Fails)
		}
	}
	// Not emptied: a DELETE with a WHERE, or one outside a transaction
	// (other sessions insert rows before the next statement).
	for _, c := range []struct {
		ctx   Context
		empty string
	}{{inTx, "DELETE FROM t WHERE id > 10"}, {Context{AssumeUTC: true}, "DELETE FROM t"}, {Context{AssumeUTC: true}, "TRUNCATE t"}} {
		if f := run(t, c.ctx, Hints{}, c.empty, addNotNull); failCode(f) != "23502" || !f.Scans {
			t.Errorf("after %q (in transaction %v): %+v", c.empty, c.ctx.InTransaction, f.Fails)
		}
	}
	// The next transaction sees other sessions' rows again.
	if f := run(t, inTx, Hints{}, "TRUNCATE t", "COMMIT", "BEGIN", addNotNull); failCode(f) != "23502" {
		t.Errorf("after COMMIT: %+v", f.Fails)
	}
}

// A column added without a default is NULL in every existing row: making
// it NOT NULL before a backfill fails.
func TestSetNotNullOnColumnAddedWithoutDefault(t *testing.T) {
	add := "ALTER TABLE t ADD COLUMN c integer"
	setNotNull := "ALTER TABLE t ALTER COLUMN c SET NOT NULL"
	f := run(t, inTx, Hints{}, add, setNotNull)
	if failCode(f) != "23502" || f.Fails.Condition != condTableHasRows || !f.Scans {
		t.Errorf("fails %+v, scans %v", f.Fails, f.Scans)
	}
	for _, c := range []struct {
		name string
		sqls []string
	}{
		{"backfilled", []string{add, "UPDATE t SET c = 0", setNotNull}},
		{"added with a default", []string{"ALTER TABLE t ADD COLUMN c integer DEFAULT 0", setNotNull}},
		{"dropped and added with a default", []string{add, "ALTER TABLE t DROP COLUMN c", "ALTER TABLE t ADD COLUMN c integer DEFAULT 0", setNotNull}},
		{"IF NOT EXISTS", []string{"ALTER TABLE t ADD COLUMN IF NOT EXISTS c integer", setNotNull}},
		{"new table", []string{"CREATE TABLE newt (id bigint)", "ALTER TABLE newt ADD COLUMN c integer", "ALTER TABLE newt ALTER COLUMN c SET NOT NULL"}},
	} {
		if f := run(t, inTx, Hints{}, c.sqls...); f.Fails != nil {
			t.Errorf("%s: %+v", c.name, f.Fails)
		}
	}
	// PRIMARY KEY makes the column NOT NULL.
	f = run(t, inTx, Hints{}, "ALTER TABLE other ADD COLUMN k bigint, ADD PRIMARY KEY (k)")
	if failCode(f) != "23502" || f.Fails.Condition != condTableHasRows {
		t.Errorf("ADD COLUMN + ADD PRIMARY KEY: %+v", f.Fails)
	}
	if f := run(t, inTx, Hints{}, "ALTER TABLE other ADD COLUMN k bigserial, ADD PRIMARY KEY (k)"); f.Fails != nil {
		t.Errorf("a bigserial column is filled: %+v", f.Fails)
	}
}

// DROP TABLE of several tables: the main table is the first one that held
// data before the migration.
func TestDropTablesMainTable(t *testing.T) {
	f := run(t, inTx, Hints{}, "CREATE TABLE scratch (id bigint)", "DROP TABLE scratch, t")
	if f.Table != "t" || f.TableNew || !f.LosesData {
		t.Errorf("table %q new %v loses data %v", f.Table, f.TableNew, f.LosesData)
	}
	if f.Lock("scratch") != AccessExclusive || f.Lock("t") != AccessExclusive {
		t.Errorf("locks: scratch %v t %v", f.Lock("scratch"), f.Lock("t"))
	}
}

// Before PostgreSQL 12, ADD VALUE is refused in a transaction, except on
// a type created in the same transaction.
func TestAddValueBefore12(t *testing.T) {
	pg11 := Context{InTransaction: true, AssumeUTC: true, PGVersion: 11}
	if f := run(t, pg11, Hints{}, "ALTER TYPE mood ADD VALUE 'meh'"); failCode(f) != "25001" {
		t.Errorf("existing type: %+v", f.Fails)
	}
	if f := run(t, pg11, Hints{}, "CREATE TYPE status AS ENUM ('a')", "ALTER TYPE status ADD VALUE 'b'"); f.Fails != nil {
		t.Errorf("type created in the transaction: %+v", f.Fails)
	}
}

func TestIsTrue(t *testing.T) {
	for v, want := range map[string]bool{"true": true, "'TRUE'": true, "t": true, "on": true, "1": true, "'yes'": true, "false": false, "'off'": false, "0": false, "": false} {
		if got := isTrue(v); got != want {
			t.Errorf("isTrue(%q) = %v", v, got)
		}
	}
}

// Code the model cannot see may write rows: what it knew about them is
// forgotten.
func TestUnseenCodeForgetsRows(t *testing.T) {
	add := "ALTER TABLE t ADD COLUMN c integer"
	setNotNull := "ALTER TABLE t ALTER COLUMN c SET NOT NULL"
	addNotNull := "ALTER TABLE t ADD COLUMN d integer NOT NULL"
	for _, code := range []string{"DO $$ BEGIN UPDATE t SET c = 0; END $$", "SELECT backfill_c()", "UPDATE __lockwise_dyn_1_ SET c = 0"} {
		if f := run(t, inTx, Hints{}, add, code, setNotNull); f.Fails != nil {
			t.Errorf("after %q: SET NOT NULL %+v", code, f.Fails)
		}
		if f := run(t, inTx, Hints{}, "TRUNCATE t", code, addNotNull); failCode(f) != "23502" {
			t.Errorf("after %q: ADD COLUMN NOT NULL %+v", code, f.Fails)
		}
	}
	s := NewSession(inTx)
	for _, stmt := range pgsql.Parse(add) {
		s.Apply(stmt, Hints{})
	}
	s.Unseen()
	if f := s.Apply(pgsql.Parse(setNotNull)[0], Hints{}); f.Fails != nil {
		t.Errorf("after Unseen: %+v", f.Fails)
	}
}

// citext: the casts from varchar and text are WITHOUT FUNCTION, but the
// operator classes differ, so only the column's indexes are built again.
func TestCitextTypeChange(t *testing.T) {
	for _, c := range []struct{ from, to string }{{"varchar(255)", "citext"}, {"text", "citext"}, {"citext", "text"}, {"citext", "varchar"}} {
		f := run(t, inTx, Hints{OldTypes: map[string]string{"c": c.from}}, "ALTER TABLE t ALTER COLUMN c TYPE "+c.to)
		if f.Rewrites || f.MayRewrite || !f.MayScan {
			t.Errorf("%s -> %s: rewrites %v/%v, may scan %v", c.from, c.to, f.Rewrites, f.MayRewrite, f.MayScan)
		}
	}
	if f := run(t, inTx, Hints{OldTypes: map[string]string{"c": "citext"}}, "ALTER TABLE t ALTER COLUMN c TYPE varchar(20)"); !f.Rewrites {
		t.Error("citext -> varchar(20) checks the length of every value: rewrite")
	}
}
