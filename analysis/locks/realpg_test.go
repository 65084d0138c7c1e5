package locks_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/internal/pgtest"
	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/analysis/pgsql"
	"github.com/lockwise/lockwise/grammar"
)

// TestRealPostgres checks the lock model's claims against a real
// PostgreSQL: every oracle case, more statement kinds the model knows, the
// SQL Ecto lowers DSL commands to, and the context-dependent answers. The
// SQL runs on a throwaway server (pgtest, one per test binary) on the
// fixture of locks-pg15.tsv; the claims the model makes for it are checked
// against what the server did (see verifier.check). A disagreement is a bug
// in the model, not in this test.
//
// Without PostgreSQL binaries the test is skipped loudly, or fails under
// LOCKWISE_REQUIRE_ALL=1 (CI).
func TestRealPostgres(t *testing.T) {
	start := time.Now()
	v := &verifier{s: pgtest.Start(t), ctx: context.Background()}
	v.pgVersion = v.s.Version() / 10000
	t.Run("oracle", v.testOracleCases)
	t.Run("statements", v.testMoreStatements)
	t.Run("ecto", v.testEcto)
	t.Run("context", v.testContext)
	t.Logf("checked %d claims of the model on %d statements in %d observations, in %v",
		v.claims, v.statements, v.observations, time.Since(start).Round(time.Millisecond))
}

// verifier runs SQL on the server and checks the model's facts for it.
type verifier struct {
	s         *pgtest.Server
	ctx       context.Context
	pgVersion int
	// Counters for the summary.
	claims, statements, observations int
}

// fixtureTables are the tables of pgtest.Fixture, probed in every
// observation; child is added when a setup creates it.
var fixtureTables = []string{"t", "parent", "other"}

// sqlCase is SQL run on the fixture, with what the model is told.
type sqlCase struct {
	name string
	// setup is committed first, in the observed session (SET TimeZone...).
	setup []string
	// sql holds one or more statements, run in one transaction, or one by
	// one in autocommit when noTx.
	sql  string
	noTx bool
	// holder, for noTx, is what another session's open transaction runs
	// first, so that the statement can be observed while it waits (see
	// pgtest.ObserveInput.Holder). Default: a writer on t.
	holder string
	// known adds to the fixture schema what setup makes true.
	known func(*locks.MemSchema)
	hints locks.Hints
	// probes are the tables probed besides the fixture's (tables setup
	// creates).
	probes []string
	// schemaOnly: the answer depends on what only the Schema tells (an
	// index exists), so the model is not checked without one.
	schemaOnly bool
	// withoutHints also checks the model without the hints and the schema.
	withoutHints bool
	// unknown: the model says it does not know what the statement does
	// (Facts.Unknown), so it makes no claim to check; the test checks
	// that it says so.
	unknown bool
}

// contexts returns the model contexts c is checked in: with what the
// model knows of the fixture, and knowing nothing (Schema nil), in which
// case its claims are weaker (MayRewrite, MayScan, AtLeast) but must still
// be true.
func (v *verifier) contexts(c sqlCase) map[string]locks.Context {
	schema := locks.FixtureSchema()
	if c.known != nil {
		c.known(schema)
	}
	base := locks.Context{InTransaction: !c.noTx, PGVersion: v.pgVersion, AssumeUTC: sessionUTC(c.setup)}
	withSchema := base
	withSchema.Schema = schema
	if c.known != nil || c.schemaOnly {
		// The setup makes true something the model has to be told (a
		// validated CHECK...): without a schema it assumes the usual.
		return map[string]locks.Context{"fixture schema": withSchema}
	}
	return map[string]locks.Context{"fixture schema": withSchema, "no schema": base}
}

// noHints is the label of the context without schema nor hints.
const noHints = "no schema, no hints"

// sessionUTC tells whether the session's TimeZone is UTC after setup: the
// server runs with TimeZone=UTC unless a setup statement changes it.
func sessionUTC(setup []string) bool {
	utc := true
	for _, s := range setup {
		if strings.Contains(s, "TimeZone") {
			utc = strings.Contains(s, "'UTC'")
		}
	}
	return utc
}

// modelFacts returns the model's facts for each statement of sql, applied
// in order in one session.
func modelFacts(ctx locks.Context, sql string, hints locks.Hints) ([]string, []locks.Facts) {
	s := locks.NewSession(ctx)
	var texts []string
	var facts []locks.Facts
	for _, stmt := range pgsql.Parse(sql) {
		texts = append(texts, stmt.Text)
		facts = append(facts, s.Apply(stmt, hints))
	}
	return texts, facts
}

// modelRun is the model's facts for each statement of a case, in one
// context.
type modelRun struct {
	label string
	facts []locks.Facts
}

// run checks c in every context of the model.
func (v *verifier) run(t *testing.T, c sqlCase) {
	t.Helper()
	var texts []string
	var runs []modelRun
	for _, label := range sortedKeys(v.contexts(c)) {
		var facts []locks.Facts
		texts, facts = modelFacts(v.contexts(c)[label], c.sql, c.hints)
		runs = append(runs, modelRun{label, facts})
	}
	if c.withoutHints {
		_, facts := modelFacts(v.contexts(c)["no schema"], c.sql, locks.Hints{})
		runs = append(runs, modelRun{noHints, facts})
	}
	v.verify(t, c, texts, runs)
}

// verify runs the statements texts on the server and checks the facts of
// each model run for them: in a transaction, each statement is checked on
// an observation of the transaction up to and including it (the locks of
// the earlier statements are still held, as the model says); without one,
// each statement runs in autocommit, stalled behind a holder, and also once
// in a transaction, where it must fail as the model says (25001).
func (v *verifier) verify(t *testing.T, c sqlCase, texts []string, runs []modelRun) {
	t.Helper()
	for _, r := range runs {
		unknown := slices.ContainsFunc(r.facts, func(f locks.Facts) bool { return f.Unknown })
		if unknown != c.unknown {
			t.Errorf("%s: the model's Unknown is %v, want %v: %q", r.label, unknown, c.unknown, r.facts[len(r.facts)-1].Notes)
		}
		if unknown {
			return
		}
	}
	// Probe the fixture's tables and every existing table or view the
	// model names (pgtest skips those that do not exist).
	probes := append(slices.Clone(fixtureTables), c.probes...)
	if strings.Contains(strings.Join(c.setup, ";"), "CREATE TABLE child") {
		probes = append(probes, "child")
	}
	for _, r := range runs {
		for _, f := range r.facts {
			for _, l := range f.Locks {
				switch l.Kind {
				case locks.KindTable, locks.KindView, locks.KindMaterializedView:
					if name := plain(l.Relation); !l.New && !slices.Contains(probes, name) {
						probes = append(probes, name)
					}
				}
			}
		}
	}
	v.statements += len(texts)
	if c.noTx {
		for i, text := range texts {
			holder := c.holder
			switch holder {
			case "":
				holder = "DELETE FROM t WHERE false"
			case noHolder:
				holder = ""
			}
			o := v.observe(t, pgtest.ObserveInput{Setup: c.setup, SQL: text, NoTx: true, Holder: holder, Probes: probes})
			if holder != "" && !o.Stalled {
				t.Errorf("%q did not wait for the holder (%q): its locks were not seen", text, holder)
			}
			if o.Stalled {
				t.Logf("%q waiting behind %q: holds %s; waits for %v", text, holder, o.LockList(), o.Waiting)
			}
			for _, r := range runs {
				v.check(t, fmt.Sprintf("%s, %q outside a transaction", r.label, text), r.facts[i:i+1], nil, o, probes)
			}
			// The same statement in a transaction: the model's answer there.
			ctx := locks.Context{InTransaction: true, PGVersion: v.pgVersion, AssumeUTC: sessionUTC(c.setup)}
			_, inTx := modelFacts(ctx, text, c.hints)
			o = v.observe(t, pgtest.ObserveInput{Setup: c.setup, SQL: text, Probes: probes})
			v.check(t, fmt.Sprintf("%q in a transaction", text), inTx, nil, o, probes)
		}
		return
	}
	var prev *pgtest.Observation
	for i := range texts {
		o := v.observe(t, pgtest.ObserveInput{Setup: c.setup, SQL: strings.Join(texts[:i+1], ";\n"), Probes: probes})
		for _, r := range runs {
			v.check(t, fmt.Sprintf("%s, statement %d %q", r.label, i+1, texts[i]), r.facts[:i+1], prev, o, probes)
		}
		if o.Err != nil {
			return // the transaction is aborted: later statements do not run
		}
		prev = o
	}
}

func (v *verifier) observe(t *testing.T, in pgtest.ObserveInput) *pgtest.Observation {
	t.Helper()
	v.observations++
	o, err := v.s.Observe(v.ctx, in)
	if err != nil {
		t.Fatalf("observing %q: %v", in.SQL, err)
	}
	return o
}

// check compares the facts of the statements run so far (the last one is
// the statement checked) with the observation o of the transaction up to
// the end of that statement; prev is the observation up to the statement
// before it (nil for the first), so that scans and rewrites can be told
// apart per statement. probes are the tables probed.
//
// The claims checked:
//   - failure: the SQLSTATE of an unconditional failure; success when the
//     model predicts none; for a conditional failure, either outcome, but
//     with the predicted SQLSTATE (the condition is checked on both sides
//     by testContext);
//   - locks: the strongest mode held on each object the model names
//     ("all indexes of t" being each index t had), over the statements so
//     far, since locks are held until the end of the transaction: exactly
//     that mode, or at least it for a Lock.AtLeast; objects the SQL
//     creates and drops again are known to the observer by OID only, and
//     not checked;
//   - blocking: BlocksReads/BlocksWrites is true exactly when some probe of
//     an existing table waits, and each named lock that blocks reads
//     (writes) of a probed table makes that probe wait;
//   - Held: the transaction holds at least that lock on the table;
//   - rewrites: Rewrites => the table and all its indexes get new files;
//     neither Rewrites nor MayRewrite => no existing table gets new files;
//   - scans: Scans => a sequential scan of the table (of some existing
//     table when the statement's own table is new); neither Scans nor
//     MayScan => no row of any existing table read by a sequential scan (a
//     TRUNCATE "scans" its new empty files to build empty indexes: no row);
//   - created objects exist afterwards.
//
// For a statement run outside a transaction (stalled behind a holder),
// locks and blocking are checked while it waits, on what it holds or waits
// for then: a lock it takes only later cannot be seen.
func (v *verifier) check(t *testing.T, label string, facts []locks.Facts, prev, o *pgtest.Observation, probes []string) {
	t.Helper()
	claim := func(ok bool, format string, args ...any) {
		t.Helper()
		v.claims++
		if !ok {
			t.Errorf("%s: "+format, append([]any{label}, args...)...)
		}
	}
	last := facts[len(facts)-1]

	// Failure. Earlier statements succeeded (checked on their own prefix).
	switch fail := last.Fails; {
	case fail == nil:
		claim(o.Err == nil, "model: succeeds; server: %v", o.Err)
	case fail.Condition == "":
		claim(o.Err != nil && (fail.Code == "" || o.Err.Code == fail.Code), "model: fails with %s; server: %v", fail.Code, o.Err)
	default:
		claim(o.Err == nil || fail.Code == "" || o.Err.Code == fail.Code,
			"model: fails with %s %s; server: %v", fail.Code, fail.Condition, o.Err)
	}
	if o.Err != nil {
		return
	}
	exists := func(table string) bool { _, ok := o.Indexes[table]; return ok }

	// Locks: what the model names, mapped to the observer's names.
	stalled := o.Stalled
	observed := o.Locks != nil
	// want is the strongest mode claimed on each object; exact is false
	// when the strongest claim is only a lower bound (Lock.AtLeast).
	want, exact := map[string]locks.Mode{}, map[string]bool{}
	for _, f := range facts {
		for _, l := range f.Locks {
			for _, name := range objectNames(l, o) {
				switch {
				case l.Mode > want[name]:
					want[name], exact[name] = l.Mode, !l.AtLeast
				case l.Mode == want[name]:
					exact[name] = exact[name] || !l.AtLeast
				}
			}
		}
	}
	for _, name := range sortedKeys(want) {
		if !observed {
			break
		}
		got := o.Lock(name)
		if stalled {
			got = max(got, o.Waiting[name])
			if got == pgtest.NoLock {
				continue // not taken yet at the point where it waits
			}
		}
		if exact[name] {
			claim(got == pgMode(want[name]), "lock on %s: model %v, server %v (server locks: %s)", name, want[name], got, o.LockList())
		} else {
			claim(got >= pgMode(want[name]), "lock on %s: model at least %v, server %v (server locks: %s)", name, want[name], got, o.LockList())
		}
	}

	// Blocking of existing tables, seen by the probes.
	if observed {
		var reads, writes bool
		for _, p := range probes {
			reads = reads || o.BlocksRead[p]
			writes = writes || o.BlocksWrite[p]
		}
		claim(last.BlocksReads == reads, "blocks reads: model %v, server %v (probes: %v; locks: %s)", last.BlocksReads, reads, o.BlocksRead, o.LockList())
		claim(last.BlocksWrites == writes, "blocks writes: model %v, server %v (probes: %v; locks: %s)", last.BlocksWrites, writes, o.BlocksWrite, o.LockList())
		for _, p := range probes {
			for _, name := range append([]string{p}, o.Indexes[p]...) {
				m, ok := want[name]
				if !ok || (stalled && o.Lock(name) == pgtest.NoLock && o.Waiting[name] == pgtest.NoLock) {
					continue
				}
				if m.BlocksReads() {
					claim(o.BlocksRead[p], "%v on %s should block reads of %s", m, name, p)
				}
				if m.BlocksWrites() {
					claim(o.BlocksWrite[p], "%v on %s should block writes of %s", m, name, p)
				}
			}
		}
		if table := plain(last.Table); last.Held != locks.None && exists(table) {
			claim(o.Lock(table) >= pgMode(last.Held), "held on %s: model %v, server %v", table, last.Held, o.Lock(table))
		}
	}

	// Rewrites: a relation rewritten by this statement is one whose files
	// changed since the previous observation.
	rewritten := func(rel string) bool {
		return slices.Contains(o.Rewritten, rel) && (prev == nil || !slices.Contains(prev.Rewritten, rel))
	}
	if table := plain(last.Table); last.Rewrites && exists(table) {
		claim(rewritten(table), "model: rewrites %s; server: rewrote %q", table, o.Rewritten)
		for _, ix := range o.Indexes[table] {
			claim(rewritten(ix), "model: rewrites %s and its indexes; server: rewrote %q", table, o.Rewritten)
		}
	}
	if !last.Rewrites && !last.MayRewrite {
		var tables []string
		for table := range o.Indexes {
			if rewritten(table) {
				tables = append(tables, table)
			}
		}
		claim(len(tables) == 0, "model: no rewrite; server rewrote %q", tables)
	}

	// Scans, counted for this statement alone.
	if o.SeqScans != nil {
		scans := func(table string) int64 {
			n := o.SeqScans[table]
			if prev != nil {
				n -= prev.SeqScans[table]
			}
			return n
		}
		rows := func(table string) int64 {
			n := o.TuplesRead[table]
			if prev != nil {
				n -= prev.TuplesRead[table]
			}
			return n
		}
		switch table := plain(last.Table); {
		case last.Scans && exists(table):
			// Plain VACUUM reads the heap without a sequential scan.
			whole := o.HeapBlocks != nil && o.HeapBlocks[table] >= o.Blocks[table]
			claim(scans(table) > 0 || whole, "model: scans %s; server: no sequential scan (scans: %v, heap blocks: %v of %d)",
				table, o.SeqScans, o.HeapBlocks[table], o.Blocks[table])
		case last.Scans:
			var n int64
			for table := range o.Indexes {
				n += scans(table)
			}
			claim(n > 0, "model: scans; server: no sequential scan (scans: %v)", o.SeqScans)
		case !last.MayScan && !last.MayRewrite:
			read := map[string]int64{}
			for table := range o.Indexes {
				if n := rows(table); n > 0 {
					read[table] = n
				}
			}
			claim(len(read) == 0, "model: no scan; server read rows %v", read)
		}
	}

	// Objects the statement creates.
	for _, l := range last.Locks {
		if !l.Created || l.Kind == locks.KindType || l.Kind == locks.KindSchema {
			continue
		}
		// REINDEX CONCURRENTLY builds <index>_ccnew, which ends up with the
		// index's name.
		name := strings.TrimSuffix(plain(l.Relation), "_ccnew")
		claim(slices.Contains(o.Created, name), "model: creates %s; server created %q", l.Relation, o.Created)
	}
}

// objectNames maps a lock of the model to the observer's names of the
// objects it is on (see pgtest.Observation): none for "all indexes" of a
// table that did not exist before the SQL.
func objectNames(l locks.Lock, o *pgtest.Observation) []string {
	name := plain(l.Relation)
	switch l.Kind {
	case locks.KindAllIndexes:
		return o.Indexes[name]
	case locks.KindType:
		name = "type " + name
	case locks.KindSchema:
		name = "schema " + name
	}
	if l.Created || l.New {
		if !o.Stalled && !slices.Contains(o.Created, plain(l.Relation)) {
			// Created by the SQL and dropped again: the observer knows it
			// by OID only.
			return nil
		}
		name += "(new)"
	}
	return []string{name}
}

// plain drops the default schema from a name, as the observer does.
func plain(name string) string { return strings.TrimPrefix(name, "public.") }

func pgMode(m locks.Mode) pgtest.Mode {
	p, err := pgtest.ParseMode(m.String())
	if err != nil {
		panic(err)
	}
	return p
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// noHolder as sqlCase.holder runs a statement outside a transaction
// without a holder: one that fails at once, or waits for nothing.
const noHolder = "-"

// oracleHolders are the holders of the oracle cases run outside a
// transaction, where the default (a writer on t) does not make the
// statement wait or is not what the case is about.
var oracleHolders = map[string]string{
	// A snapshot that never touched t: CONCURRENTLY still waits for it.
	// (Holders read no row: their scans would be counted, in the server's
	// statistics, to whichever observation comes next.)
	"create_index_concurrently_vs_unrelated_snapshot": "SELECT 1 FROM other WHERE false",
	// Plain VACUUM conflicts with nothing a writer holds.
	"vacuum_plain": "LOCK TABLE t IN SHARE UPDATE EXCLUSIVE MODE",
}

func (v *verifier) testOracleCases(t *testing.T) {
	for _, c := range locks.OracleCases {
		t.Run(c.ID, func(t *testing.T) {
			v.run(t, sqlCase{name: c.ID, setup: append(slices.Clone(c.Session), c.Setup...), sql: c.SQL,
				noTx: !c.InTx, holder: oracleHolders[c.ID], known: c.Known, hints: c.Hints})
		})
	}
}

// moreStatements are statement kinds the model knows beyond the oracle
// cases. Their claims are the model's, checked like the oracle cases'.
var moreStatements = []sqlCase{
	// ALTER INDEX and ALTER TABLE sub-commands.
	{name: "alter_index_set_fillfactor", sql: "ALTER INDEX t_i_idx SET (fillfactor = 70)"},
	{name: "alter_index_set_tablespace", sql: "ALTER INDEX t_i_idx SET TABLESPACE pg_default"},
	{name: "set_column_options", sql: "ALTER TABLE t ALTER COLUMN i SET (n_distinct = 100)"},
	{name: "cluster_on", sql: "ALTER TABLE t CLUSTER ON t_i_idx"},
	{name: "set_without_cluster", setup: []string{"ALTER TABLE t CLUSTER ON t_i_idx"}, sql: "ALTER TABLE t SET WITHOUT CLUSTER"},
	{name: "enable_trigger", setup: []string{"ALTER TABLE t DISABLE TRIGGER t_existing_trg"}, sql: "ALTER TABLE t ENABLE TRIGGER t_existing_trg"},
	{name: "set_compression", sql: "ALTER TABLE t ALTER COLUMN txt SET COMPRESSION pglz"},
	{name: "add_identity", sql: "ALTER TABLE other ALTER COLUMN x SET NOT NULL, ALTER COLUMN x ADD GENERATED BY DEFAULT AS IDENTITY"},
	{name: "owner", sql: "ALTER TABLE t OWNER TO postgres"},
	{name: "row_security", sql: "ALTER TABLE t ENABLE ROW LEVEL SECURITY"},
	{name: "alter_constraint_deferrable", setup: []string{pgtest.FKTtoParent},
		sql: "ALTER TABLE t ALTER CONSTRAINT t_parent_id_fkey DEFERRABLE"},
	{name: "reset_options", setup: []string{"ALTER TABLE t SET (fillfactor = 70)"}, sql: "ALTER TABLE t RESET (fillfactor)"},
	{name: "set_user_catalog_table", sql: "ALTER TABLE t SET (user_catalog_table = true)"},

	// Partitions and inheritance.
	{name: "attach_partition", probes: []string{"pt", "pt1"},
		setup: []string{"CREATE TABLE pt (id int, v int) PARTITION BY RANGE (id)", "CREATE TABLE pt1 (id int, v int)",
			"INSERT INTO pt1 SELECT g, g FROM generate_series(1, 1000) g"},
		sql: "ALTER TABLE pt ATTACH PARTITION pt1 FOR VALUES FROM (1) TO (2000)"},
	{name: "detach_partition", probes: []string{"pt", "pt1"},
		setup: []string{"CREATE TABLE pt (id int, v int) PARTITION BY RANGE (id)",
			"CREATE TABLE pt1 PARTITION OF pt FOR VALUES FROM (1) TO (2000)", "INSERT INTO pt SELECT g, g FROM generate_series(1, 1000) g"},
		sql: "ALTER TABLE pt DETACH PARTITION pt1"},
	{name: "detach_partition_concurrently", probes: []string{"pt", "pt1"}, noTx: true, holder: "SELECT 1 FROM pt WHERE false",
		setup: []string{"CREATE TABLE pt (id int, v int) PARTITION BY RANGE (id)",
			"CREATE TABLE pt1 PARTITION OF pt FOR VALUES FROM (1) TO (2000)", "INSERT INTO pt SELECT g, g FROM generate_series(1, 1000) g"},
		sql: "ALTER TABLE pt DETACH PARTITION pt1 CONCURRENTLY"},
	{name: "create_partition_of", probes: []string{"pt"},
		setup: []string{"CREATE TABLE pt (id int, v int) PARTITION BY RANGE (id)"},
		sql:   "CREATE TABLE pt2 PARTITION OF pt FOR VALUES FROM (2000) TO (3000)"},
	{name: "create_table_inherits", sql: "CREATE TABLE t_child () INHERITS (other)"},

	// CREATE/DROP/RENAME of tables, views, sequences, types.
	{name: "create_table_as_with_no_data", sql: "CREATE TABLE newt AS SELECT id, i FROM t WITH NO DATA"},
	{name: "create_materialized_view_with_no_data", sql: "CREATE MATERIALIZED VIEW t_mview AS SELECT id, i FROM t WITH NO DATA"},
	{name: "create_or_replace_view", probes: []string{"t_view"}, setup: []string{"CREATE VIEW t_view AS SELECT id, i FROM t"},
		sql: "CREATE OR REPLACE VIEW t_view AS SELECT id, i, bi FROM t"},
	{name: "drop_view", probes: []string{"t_view"}, setup: []string{"CREATE VIEW t_view AS SELECT id, i FROM t"}, sql: "DROP VIEW t_view"},
	{name: "drop_materialized_view", probes: []string{"t_mview"}, setup: []string{"CREATE MATERIALIZED VIEW t_mview AS SELECT id, i FROM t"}, sql: "DROP MATERIALIZED VIEW t_mview"},
	{name: "refresh_materialized_view", setup: []string{"CREATE MATERIALIZED VIEW t_mview AS SELECT id, i FROM t"},
		sql: "REFRESH MATERIALIZED VIEW t_mview", probes: []string{"t_mview"}},
	{name: "refresh_materialized_view_concurrently", probes: []string{"t_mview"},
		setup: []string{"CREATE MATERIALIZED VIEW t_mview AS SELECT id, i FROM t", "CREATE UNIQUE INDEX t_mview_id ON t_mview (id)"},
		sql:   "REFRESH MATERIALIZED VIEW CONCURRENTLY t_mview"},
	{name: "create_sequence", sql: "CREATE SEQUENCE s"},
	{name: "drop_sequence", setup: []string{"CREATE SEQUENCE s"}, sql: "DROP SEQUENCE s"},
	{name: "rename_sequence", sql: "ALTER SEQUENCE t_id_seq RENAME TO t_id_seq2"},
	{name: "rename_view", probes: []string{"t_view"}, setup: []string{"CREATE VIEW t_view AS SELECT id, i FROM t"}, sql: "ALTER VIEW t_view RENAME TO t_view2"},
	{name: "rename_type", sql: "ALTER TYPE mood RENAME TO mood2"},
	{name: "drop_type", setup: []string{"CREATE TYPE status AS ENUM ('a', 'b')"}, sql: "DROP TYPE status"},
	{name: "drop_type_cascade", sql: "DROP TYPE mood CASCADE", unknown: true},
	{name: "create_domain", sql: "CREATE DOMAIN posint AS integer CHECK (VALUE > 0)"},
	{name: "add_enum_value_before", sql: "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'"},
	{name: "truncate_two_tables", sql: "TRUNCATE t, other"},
	{name: "drop_two_tables", sql: "DROP TABLE other, parent CASCADE"},
	{name: "drop_schema_empty", setup: []string{"CREATE SCHEMA s2"}, sql: "DROP SCHEMA s2"},
	{name: "comment_on_constraint", sql: "COMMENT ON CONSTRAINT t_pkey ON t IS 'x'"},
	{name: "comment_on_trigger", sql: "COMMENT ON TRIGGER t_existing_trg ON t IS 'x'"},
	{name: "comment_on_view", setup: []string{"CREATE VIEW t_view AS SELECT id, i FROM t"}, sql: "COMMENT ON VIEW t_view IS 'x'"},
	{name: "comment_on_sequence", sql: "COMMENT ON SEQUENCE t_id_seq IS 'x'"},
	{name: "create_trigger_other", sql: "CREATE TRIGGER other_trg BEFORE UPDATE ON other FOR EACH ROW EXECUTE FUNCTION trg_fn()"},
	{name: "create_function", sql: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'"},
	{name: "create_extension_existing", sql: "CREATE EXTENSION IF NOT EXISTS plpgsql"},
	{name: "grant", sql: "GRANT SELECT ON t TO public"},
	{name: "reset_column_options", setup: []string{"ALTER TABLE t ALTER COLUMN i SET (n_distinct = 100)"}, sql: "ALTER TABLE t ALTER COLUMN i RESET (n_distinct)"},
	{name: "drop_expression", setup: []string{"ALTER TABLE other ADD COLUMN g integer GENERATED ALWAYS AS (x * 2) STORED"},
		sql: "ALTER TABLE other ALTER COLUMN g DROP EXPRESSION"},
	{name: "set_identity", setup: []string{"ALTER TABLE other ALTER COLUMN x SET NOT NULL, ALTER COLUMN x ADD GENERATED BY DEFAULT AS IDENTITY"},
		sql: "ALTER TABLE other ALTER COLUMN x SET GENERATED ALWAYS"},
	{name: "drop_identity", setup: []string{"ALTER TABLE other ALTER COLUMN x SET NOT NULL, ALTER COLUMN x ADD GENERATED BY DEFAULT AS IDENTITY"},
		sql: "ALTER TABLE other ALTER COLUMN x DROP IDENTITY"},
	{name: "disable_rule", setup: []string{"CREATE RULE other_r AS ON INSERT TO other DO ALSO NOTHING"}, sql: "ALTER TABLE other DISABLE RULE other_r"},
	{name: "inherit", setup: []string{"CREATE TABLE base (x integer)"}, probes: []string{"base"}, sql: "ALTER TABLE other INHERIT base"},
	{name: "no_inherit", setup: []string{"CREATE TABLE base (x integer)", "ALTER TABLE other INHERIT base"}, probes: []string{"base"},
		sql: "ALTER TABLE other NO INHERIT base"},
	{name: "set_access_method_same", sql: "ALTER TABLE other SET ACCESS METHOD heap"},
	{name: "set_tablespace_same", sql: "ALTER TABLE other SET TABLESPACE pg_default"},
	{name: "do_block", sql: "DO $$ BEGIN UPDATE other SET x = x WHERE id = 1; END $$", unknown: true},
	{name: "savepoint", sql: "SAVEPOINT s; ALTER TABLE other ADD COLUMN c integer; RELEASE SAVEPOINT s"},

	// Indexes.
	{name: "create_index_without_name", sql: "CREATE INDEX ON t (bi, nn)"},
	{name: "create_index_if_not_exists_existing", sql: "CREATE INDEX IF NOT EXISTS t_i_idx ON t (i)", schemaOnly: true},
	{name: "drop_two_indexes", sql: "DROP INDEX t_i_idx, t_num_idx"},
	{name: "drop_two_indexes_concurrently", noTx: true, holder: noHolder, sql: "DROP INDEX CONCURRENTLY t_i_idx, t_num_idx"},
	{name: "reindex_table_concurrently", noTx: true, sql: "REINDEX TABLE CONCURRENTLY t"},
	{name: "cluster_without_table", noTx: true, holder: noHolder, sql: "CLUSTER", unknown: true},
	{name: "cluster_without_table_in_transaction", sql: "CLUSTER"},

	// Reads and writes.
	{name: "select_all", sql: "SELECT * FROM t"},
	{name: "select_count", sql: "SELECT count(*) FROM t", unknown: true},
	{name: "select_for_share_join", sql: "SELECT * FROM t JOIN parent ON parent.id = t.parent_id WHERE t.id = 1 FOR SHARE"},
	{name: "insert_select", sql: "INSERT INTO other (x) SELECT i FROM t WHERE id <= 10"},
	{name: "insert_select_all", sql: "INSERT INTO other (x) SELECT x FROM other"},
	{name: "update_from", sql: "UPDATE t SET nn = other.x FROM other WHERE t.id = other.id"},
	{name: "merge", sql: "MERGE INTO other USING parent ON other.id = parent.id WHEN MATCHED THEN UPDATE SET x = 0"},
	{name: "advisory_lock", sql: "SELECT pg_advisory_xact_lock(1)"},
	{name: "lock_table_access_exclusive", sql: "LOCK TABLE t, parent"},
	{name: "lock_table_outside_transaction", noTx: true, holder: noHolder, sql: "LOCK TABLE t IN SHARE MODE"},
	{name: "set_lock_timeout", sql: "SET lock_timeout = '5s'"},
	{name: "set_config_local", sql: "SELECT set_config('lock_timeout', '5s', true)"},
}

func (v *verifier) testMoreStatements(t *testing.T) {
	for _, c := range moreStatements {
		t.Run(c.name, func(t *testing.T) { v.run(t, c) })
	}
}

// ectoCase is a migration written with Ecto's DSL: the SQL lockwise lowers
// it to runs on the fixture, and the facts ComputeFacts gives for it (with
// the hints of the DSL commands) are checked.
type ectoCase struct {
	name  string
	setup []string
	// attrs are module attributes (@disable_ddl_transaction true).
	attrs string
	// change is the body of change/0; down, when set, checks the rollback
	// too (run after the up direction was committed).
	change string
	down   bool
	known  func(*locks.MemSchema)
	probes []string
}

var ectoCases = []ectoCase{
	{name: "add_column", change: `alter table(:t) do
      add :c_new, :string
    end`, down: true},
	{name: "add_column_default_not_null", change: `alter table(:t) do
      add :c_new, :string, default: "x", null: false
    end`, down: true},
	{name: "add_column_volatile_default", change: `alter table(:t) do
      add :c_new, :utc_datetime, default: fragment("clock_timestamp()")
    end`},
	{name: "add_references", change: `alter table(:t) do
      add :parent2_id, references(:parent, on_delete: :delete_all)
    end`, down: true},
	{name: "add_references_not_validated", change: `alter table(:t) do
      add :parent2_id, references(:parent, validate: false)
    end`, down: true},
	{name: "add_timestamps", change: `alter table(:t) do
      timestamps(default: fragment("now()"))
    end`},
	{name: "modify_widen_with_from", change: `alter table(:t) do
      modify :v50, :string, size: 100, from: {:string, size: 50}
    end`, down: true},
	{name: "modify_int_to_bigint", change: `alter table(:t) do
      modify :i, :bigint, from: :integer
    end`, down: true},
	{name: "modify_text_to_string", change: `alter table(:t) do
      modify :txt, :string, from: :text
    end`},
	{name: "modify_null_false", change: `alter table(:t) do
      modify :nn, :integer, null: false, from: {:integer, null: true}
    end`, down: true},
	{name: "modify_references_from", setup: []string{pgtest.FKTtoParent}, change: `alter table(:t) do
      modify :parent_id, references(:parent, on_delete: :nilify_all), from: references(:parent)
    end`, down: true},
	{name: "remove_column", change: `alter table(:t) do
      remove :flag, :boolean, default: true
    end`, down: true},
	{name: "remove_references", setup: []string{pgtest.FKTtoParent}, change: `alter table(:t) do
      remove :parent_id, references(:parent)
    end`},
	{name: "create_table", change: `create table(:newt) do
      add :name, :string, null: false
      add :t_id, references(:t, on_delete: :delete_all)
      timestamps()
    end
    create index(:newt, [:t_id])
    create unique_index(:newt, [:name])`, down: true},
	{name: "create_table_uuid_comment", change: `create table(:newt, primary_key: false, comment: "things") do
      add :id, :binary_id, primary_key: true
      add :data, :map, default: %{}
    end`, down: true},
	{name: "create_index", change: `create index(:t, [:bi, :nn])`, down: true},
	{name: "create_unique_partial_index", change: `create unique_index(:t, [:code], where: "flag", name: :t_code_flag_index)`, down: true},
	{name: "create_index_concurrently", attrs: "@disable_ddl_transaction true\n  @disable_migration_lock true",
		change: `create index(:t, [:bi], concurrently: true)`, down: true},
	{name: "drop_index", change: `drop index(:t, [:i], name: :t_i_idx)`},
	{name: "drop_index_concurrently", attrs: "@disable_ddl_transaction true\n  @disable_migration_lock true",
		change: `drop_if_exists index(:t, [:i], name: :t_i_idx, concurrently: true)`},
	{name: "rename_table", change: `rename table(:t), to: table(:t_renamed)`, down: true},
	{name: "rename_column", change: `rename table(:t), :flag, to: :flag2`, down: true},
	{name: "rename_index", change: `rename index(:t, [:i], name: :t_i_idx), to: "t_i_index"`, down: true},
	{name: "check_constraint", change: `create constraint(:t, :nn_positive, check: "nn > 0")`, down: true},
	{name: "check_constraint_not_valid_then_validate", change: `create constraint(:t, :nn_positive, check: "nn > 0", validate: false)
    execute "ALTER TABLE t VALIDATE CONSTRAINT nn_positive", ""`},
	{name: "exclusion_constraint", change: `create constraint(:t, :code_excl, exclude: ~s|btree (code WITH =)|)`, down: true},
	{name: "drop_constraint", setup: []string{"ALTER TABLE t ADD CONSTRAINT nn_positive CHECK (nn > 0)"},
		change: `drop constraint(:t, :nn_positive)`},
	{name: "drop_table", change: `drop table(:other)`},
	{name: "execute_update_batch", change: `execute "UPDATE t SET flag = false WHERE id <= 100", ""`},
	{name: "set_not_null_recipe", change: `create constraint(:t, :nn_not_null, check: "nn IS NOT NULL")
    execute "ALTER TABLE t ALTER COLUMN nn SET NOT NULL", ""`},
	{name: "new_table_then_alter", change: `create table(:newt) do
      add :name, :string
    end
    create index(:newt, [:name])
    alter table(:newt) do
      add :qty, :integer, null: false
      modify :name, :text, from: :string
    end
    create constraint(:newt, :qty_positive, check: "qty > 0")`},
}

func (v *verifier) testEcto(t *testing.T) {
	for _, c := range ectoCases {
		t.Run(c.name, func(t *testing.T) {
			src := "defmodule Shop.Repo.Migrations.X do\n  use Ecto.Migration\n  " + c.attrs +
				"\n\n  def change do\n    " + c.change + "\n  end\nend\n"
			m := analysis.Build("priv/repo/migrations/20240101000000_x.exs", grammar.Parse([]byte(src)), analysis.BuildOptions{})
			if len(m.Problems) > 0 {
				t.Fatalf("%v\n%s", m.Problems, src)
			}
			up := v.checkPlan(t, c, m, m.Up, c.setup)
			if c.down {
				v.checkPlan(t, c, m, m.Down, append(slices.Clone(c.setup), up...))
			}
		})
	}
}

// checkPlan checks one direction of a migration and returns its SQL.
func (v *verifier) checkPlan(t *testing.T, c ectoCase, m *analysis.Migration, plan analysis.Plan, setup []string) []string {
	t.Helper()
	sc := sqlCase{name: c.name, setup: setup, noTx: !m.Transaction, known: c.known, probes: c.probes}
	var texts []string
	var runs []modelRun
	for _, label := range sortedKeys(v.contexts(sc)) {
		var facts []locks.Facts
		texts = nil
		for _, of := range analysis.ComputeFacts(m, plan, v.contexts(sc)[label], nil) {
			for _, s := range of.Stmts {
				texts = append(texts, s.Stmt.Text)
				facts = append(facts, s.Facts)
			}
		}
		runs = append(runs, modelRun{label, facts})
	}
	if len(texts) == 0 {
		t.Fatal("no SQL")
	}
	v.verify(t, sc, texts, runs)
	return texts
}

// testContext checks the answers that depend on the context: the session
// time zone, old column types known from hints only, conditional failures
// on both sides of their condition, tables created by the migration, locks
// held from earlier statements, and a lock_timeout set earlier.
func (v *verifier) testContext(t *testing.T) {
	t.Run("time zone", func(t *testing.T) {
		for _, tz := range []string{"UTC", "America/New_York"} {
			for _, sql := range []string{"ALTER TABLE t ALTER COLUMN ts TYPE timestamptz", "ALTER TABLE t ALTER COLUMN tstz TYPE timestamp"} {
				v.run(t, sqlCase{name: tz, setup: []string{"SET TimeZone = '" + tz + "'"}, sql: sql})
			}
		}
	})

	t.Run("old types from hints", func(t *testing.T) {
		// Columns the fixture schema does not know: only the hint (Ecto's
		// from:) tells the model their type.
		setup := []string{"ALTER TABLE t ADD COLUMN h varchar(50), ADD COLUMN n numeric(10,2), ADD COLUMN x text"}
		for _, c := range []struct{ column, from, to string }{
			{"h", "varchar(50)", "varchar(100)"}, {"h", "varchar(50)", "text"}, {"h", "varchar(50)", "varchar(20)"},
			{"n", "numeric(10,2)", "numeric(12,2)"}, {"n", "numeric(10,2)", "numeric(12,4)"}, {"n", "numeric(10,2)", "numeric"},
			{"x", "text", "varchar"}, {"x", "text", "varchar(255)"}, {"x", "text", "integer USING length(x)"},
		} {
			sql := "ALTER TABLE t ALTER COLUMN " + c.column + " TYPE " + c.to
			// Without the hint the model does not know whether it rewrites.
			v.run(t, sqlCase{name: sql, setup: setup, sql: sql, hints: locks.Hints{OldTypes: map[string]string{c.column: c.from}},
				withoutHints: true})
		}
	})

	t.Run("citext", func(t *testing.T) {
		// The extension's casts from varchar and text are WITHOUT FUNCTION:
		// no rewrite, but the indexes are built again (other operator class).
		ext := "CREATE EXTENSION IF NOT EXISTS citext"
		for _, c := range []sqlCase{
			{name: "varchar to citext", setup: []string{ext}, sql: "ALTER TABLE t ALTER COLUMN v50 TYPE citext"},
			{name: "text to citext", setup: []string{ext}, sql: "ALTER TABLE t ALTER COLUMN txt TYPE citext"},
			{name: "citext to text", setup: []string{ext, "ALTER TABLE t ALTER COLUMN txt TYPE citext"}, sql: "ALTER TABLE t ALTER COLUMN txt TYPE text",
				hints: locks.Hints{OldTypes: map[string]string{"txt": "citext"}}, schemaOnly: true},
			{name: "citext to varchar(20)", setup: []string{ext, "ALTER TABLE t ALTER COLUMN txt TYPE citext"}, sql: "ALTER TABLE t ALTER COLUMN txt TYPE varchar(20)",
				hints: locks.Hints{OldTypes: map[string]string{"txt": "citext"}}, schemaOnly: true},
		} {
			v.run(t, c)
		}
	})

	t.Run("conditional failures", func(t *testing.T) {
		addNotNull := "ALTER TABLE t ADD COLUMN c_new integer NOT NULL"
		useHappy := "ALTER TYPE mood ADD VALUE 'happy'; UPDATE t SET m = 'happy' WHERE id = 1"
		for _, c := range []struct {
			name  string
			setup []string
			sql   string
			fails string // the SQLSTATE the server must raise, "" for success
		}{
			{"table with rows", nil, addNotNull, "23502"},
			{"empty table", []string{"DELETE FROM t"}, addNotNull, ""},
			{"new table", nil, "CREATE TABLE newt (id bigint); ALTER TABLE newt ADD COLUMN c_new integer NOT NULL", ""},
			{"new table filled", nil, "CREATE TABLE newt (id bigint); INSERT INTO newt VALUES (1); ALTER TABLE newt ADD COLUMN c_new integer NOT NULL", "23502"},
			{"new enum value used as the enum", nil, useHappy, "55P04"},
			{"new enum value used as text", nil, "ALTER TYPE mood ADD VALUE 'happy'; UPDATE t SET code = 'happy' WHERE id = 1", ""},
			{"new enum value cast", nil, "ALTER TYPE mood ADD VALUE 'happy'; UPDATE t SET code = 'happy'::mood::text WHERE id = 1", "55P04"},
			{"value added to an enum created in the transaction", nil,
				"CREATE TYPE status AS ENUM ('a'); ALTER TYPE status ADD VALUE 'b'; SELECT 'b'::status", "55P04"},
			{"emptied by TRUNCATE", nil, "TRUNCATE t; " + addNotNull, ""},
			{"emptied by DELETE", nil, "DELETE FROM t; " + addNotNull, ""},
			{"emptied then filled", nil, "TRUNCATE t; INSERT INTO t (id) VALUES (1); " + addNotNull, "23502"},
			{"partly deleted", nil, "DELETE FROM t WHERE id > 10; " + addNotNull, "23502"},
			{"added without default then NOT NULL", nil,
				"ALTER TABLE t ADD COLUMN c_new integer; ALTER TABLE t ALTER COLUMN c_new SET NOT NULL", "23502"},
			{"added without default, backfilled, then NOT NULL", nil,
				"ALTER TABLE t ADD COLUMN c_new integer; UPDATE t SET c_new = 0; ALTER TABLE t ALTER COLUMN c_new SET NOT NULL", ""},
			{"added with a primary key", []string{"CREATE TABLE nopk (x integer)", "INSERT INTO nopk VALUES (1)"},
				"ALTER TABLE nopk ADD COLUMN k bigint, ADD PRIMARY KEY (k)", "23502"},
			{"added as bigserial with a primary key", []string{"CREATE TABLE nopk (x integer)", "INSERT INTO nopk VALUES (1)"},
				"ALTER TABLE nopk ADD COLUMN k bigserial, ADD PRIMARY KEY (k)", ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				sc := sqlCase{name: c.name, setup: c.setup, sql: c.sql}
				v.run(t, sc)
				o := v.observe(t, pgtest.ObserveInput{Setup: c.setup, SQL: c.sql})
				v.claims++
				if got := errCode(o); got != c.fails {
					t.Errorf("%q: server error %q, want %q (%v)", c.sql, got, c.fails, o.Err)
				}
			})
		}
	})

	t.Run("NOT VALID then VALIDATE in one transaction", func(t *testing.T) {
		for _, sql := range []string{
			"ALTER TABLE t ADD CONSTRAINT t_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES parent(id) NOT VALID; " +
				"ALTER TABLE t VALIDATE CONSTRAINT t_parent_id_fkey",
			"ALTER TABLE t ADD CONSTRAINT t_i_positive CHECK (i > 0) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT t_i_positive",
		} {
			v.run(t, sqlCase{name: sql, sql: sql})
			_, facts := modelFacts(locks.Context{InTransaction: true, PGVersion: v.pgVersion, AssumeUTC: true}, sql, locks.Hints{})
			v.claims++
			if f := facts[1]; !f.ValidateSameTx || f.Held == locks.None {
				t.Errorf("%q: ValidateSameTx %v, Held %v", sql, f.ValidateSameTx, f.Held)
			}
		}
	})

	t.Run("tables created by the migration", func(t *testing.T) {
		v.run(t, sqlCase{name: "new table", sql: "CREATE TABLE newt (id bigserial PRIMARY KEY, t_id bigint, name text); " +
			"CREATE INDEX newt_t_id_idx ON newt (t_id); ALTER TABLE newt ALTER COLUMN name TYPE varchar(10); " +
			"ALTER TABLE newt ADD CONSTRAINT newt_t_fk FOREIGN KEY (t_id) REFERENCES t(id); DROP TABLE newt"})
		v.run(t, sqlCase{name: "new and old table dropped", sql: "CREATE TABLE newt (id bigint); DROP TABLE newt, other"})
	})

	t.Run("lock_timeout", func(t *testing.T) {
		alter := "ALTER TABLE t ADD COLUMN c_new integer"
		for _, c := range []struct {
			setup     []string
			inForce   bool // Context.LockTimeout
			sql       string
			wantLimit bool
		}{
			{nil, false, alter, false},
			{nil, false, "SET LOCAL lock_timeout = '50ms'; " + alter, true},
			{nil, false, "SELECT set_config('lock_timeout', '50ms', true); " + alter, true},
			{nil, false, "SET LOCAL lock_timeout = '50ms'; SET LOCAL lock_timeout = 0; " + alter, false},
			{nil, false, "SET lock_timeout = '50ms'; RESET lock_timeout; " + alter, false},
			{[]string{"SET lock_timeout = '50ms'"}, true, alter, true},
			{[]string{"SET lock_timeout = '50ms'"}, true, "SET LOCAL lock_timeout = 0; " + alter, false},
		} {
			ctx := locks.Context{InTransaction: true, PGVersion: v.pgVersion, AssumeUTC: true, LockTimeout: c.inForce}
			_, facts := modelFacts(ctx, c.sql, locks.Hints{})
			last := facts[len(facts)-1]
			v.claims++
			v.statements += len(facts)
			if last.LockTimeout != c.wantLimit {
				t.Errorf("%q: model LockTimeout %v, want %v", c.sql, last.LockTimeout, c.wantLimit)
			}
			// Another session reads t: ALTER TABLE waits for it, and gives
			// up after 50 ms when a lock_timeout is in force. The holder
			// stays until then (at most 2 s), or for 5 times that timeout
			// when the model says there is none.
			hold := 250 * time.Millisecond
			if last.LockTimeout {
				hold = 2 * time.Second
			}
			o := v.observe(t, pgtest.ObserveInput{Setup: c.setup, SQL: c.sql, Holder: "SELECT 1 FROM t WHERE false", HoldFor: hold})
			if last.LockTimeout {
				if errCode(o) != "55P03" {
					t.Errorf("%q: model: a lock_timeout is in force; server: %v (waited: %v)", c.sql, o.Err, o.Stalled)
				}
			} else if o.Err != nil || !o.Stalled {
				t.Errorf("%q: model: no lock_timeout; server: %v (waited: %v)", c.sql, o.Err, o.Stalled)
			}
		}
	})
}

func errCode(o *pgtest.Observation) string {
	if o.Err == nil {
		return ""
	}
	return o.Err.Code
}
