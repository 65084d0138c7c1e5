package pgtest

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// reference is one expectation, copied from a row of
// shared/reference/locks-pg15.tsv (id = the row's id).
type reference struct {
	id       string
	setup    []string
	sql      string
	noTx     bool
	wantErr  string // SQLSTATE
	lockOnT  Mode
	locks    string // the TSV's all_locks, when it names no OID
	rewrites []string
	blocksR  bool // SELECT on t
	blocksW  bool // DML on t
	blocksWP bool // DML on parent
	scans    int64
	tuples   int64
	notice   string // a substring of one notice
}

var references = []reference{
	{id: "add_col_nullable", sql: "ALTER TABLE t ADD COLUMN c_new integer",
		lockOnT: AccessExclusive, locks: "t=AccessExclusiveLock", blocksR: true, blocksW: true},
	{id: "add_col_not_null_no_default", sql: "ALTER TABLE t ADD COLUMN c_new integer NOT NULL",
		wantErr: "23502", notice: `verifying table "t"`},
	{id: "type_int_to_bigint", sql: "ALTER TABLE t ALTER COLUMN i TYPE bigint",
		lockOnT: AccessExclusive, blocksR: true, blocksW: true, scans: 9, tuples: 90000,
		rewrites: []string{"t", "t(toast)", "t(toast-index)", "t_i_idx", "t_num_idx", "t_parent_id_idx",
			"t_pkey", "t_ts_idx", "t_txt_idx", "t_v100_idx", "t_v50_idx"},
		notice: `rewriting table "t"`},
	// The index is dropped and built again on its old storage: not a rewrite.
	{id: "type_varchar50_to_varchar100", sql: "ALTER TABLE t ALTER COLUMN v50 TYPE varchar(100)",
		lockOnT: AccessExclusive, blocksR: true, blocksW: true,
		locks: "t=ShareLock+AccessExclusiveLock; t_v50_idx=AccessShareLock+AccessExclusiveLock; t_v50_idx(new)=AccessExclusiveLock"},
	// Session setting from Setup: in UTC only the index on ts is rebuilt...
	{id: "type_timestamp_to_timestamptz_utc", setup: []string{"SET TimeZone = 'UTC'"},
		sql:     "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz",
		lockOnT: AccessExclusive, blocksR: true, blocksW: true, scans: 1, tuples: 10000,
		rewrites: []string{"t_ts_idx"},
		locks:    "t=ShareLock+AccessExclusiveLock; t_ts_idx=AccessExclusiveLock; t_ts_idx(new)=AccessExclusiveLock"},
	// ... elsewhere the table is rewritten.
	{id: "type_timestamp_to_timestamptz_non_utc", setup: []string{"SET TimeZone = 'America/New_York'"},
		sql:     "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz",
		lockOnT: AccessExclusive, blocksR: true, blocksW: true, scans: 9, tuples: 90000,
		rewrites: []string{"t", "t(toast)", "t(toast-index)", "t_i_idx", "t_num_idx", "t_parent_id_idx",
			"t_pkey", "t_ts_idx", "t_txt_idx", "t_v100_idx", "t_v50_idx"}},
	{id: "create_index", sql: "CREATE INDEX t_bi_idx ON t (bi)",
		lockOnT: Share, locks: "t=ShareLock; t_bi_idx(new)=AccessExclusiveLock", blocksW: true, scans: 1, tuples: 10000},
	{id: "create_index_concurrently (in a transaction)", sql: "CREATE INDEX CONCURRENTLY t_bi_idx ON t (bi)",
		wantErr: "25001"},
	{id: "reindex_index", sql: "REINDEX INDEX t_i_idx",
		lockOnT: Share, locks: "t=ShareLock; t_i_idx=AccessExclusiveLock", rewrites: []string{"t_i_idx"},
		blocksR: true, blocksW: true, scans: 1, tuples: 10000},
	// The Setup's own scan (ADD CONSTRAINT verifies t) is not counted.
	{id: "validate_check", setup: []string{"ALTER TABLE t ADD CONSTRAINT t_i_positive CHECK (i > 0) NOT VALID"},
		sql:     "ALTER TABLE t VALIDATE CONSTRAINT t_i_positive",
		lockOnT: ShareUpdateExclusive, locks: "t=ShareUpdateExclusiveLock", scans: 1, tuples: 10000,
		notice: `verifying table "t"`},
	{id: "add_fk", sql: "ALTER TABLE t ADD CONSTRAINT t_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES parent(id)",
		lockOnT: ShareRowExclusive, blocksW: true, blocksWP: true, scans: 1, tuples: 10000,
		locks: "parent=AccessShareLock+RowShareLock+ShareRowExclusiveLock; parent_pkey=AccessShareLock; " +
			"t=AccessShareLock+ShareRowExclusiveLock; t_i_idx=AccessShareLock; t_num_idx=AccessShareLock; " +
			"t_parent_id_idx=AccessShareLock; t_pkey=AccessShareLock; t_ts_idx=AccessShareLock; " +
			"t_txt_idx=AccessShareLock; t_v100_idx=AccessShareLock; t_v50_idx=AccessShareLock"},
	// Row locks on every row of t do not make the write probe wait.
	{id: "update_all_rows", sql: "UPDATE t SET nn = nn + 1",
		lockOnT: RowExclusive, scans: 1, tuples: 10000,
		locks: "t=RowExclusiveLock; t_i_idx=RowExclusiveLock; t_num_idx=RowExclusiveLock; " +
			"t_parent_id_idx=RowExclusiveLock; t_pkey=RowExclusiveLock; t_ts_idx=RowExclusiveLock; " +
			"t_txt_idx=RowExclusiveLock; t_v100_idx=RowExclusiveLock; t_v50_idx=RowExclusiveLock"},
	{id: "alter_type_add_value", sql: "ALTER TYPE mood ADD VALUE 'happy'", locks: "type mood=ExclusiveLock"},
	{id: "alter_type_add_value_then_use", sql: "ALTER TYPE mood ADD VALUE 'happy'; UPDATE t SET m = 'happy' WHERE id = 1",
		wantErr: "55P04"},
	{id: "drop_col_referenced_by_child", setup: []string{ChildTable}, sql: "ALTER TABLE t DROP COLUMN id CASCADE",
		lockOnT: AccessExclusive, blocksR: true, blocksW: true},
	// Outside a transaction the statements run for real.
	{id: "create_index_concurrently", sql: "CREATE INDEX CONCURRENTLY t_bi_idx ON t (bi)", noTx: true,
		scans: 2, tuples: 20000},
	{id: "vacuum_full", sql: "VACUUM FULL t", noTx: true, scans: 9, tuples: 90000,
		rewrites: []string{"t", "t(toast)", "t(toast-index)", "t_i_idx", "t_num_idx", "t_parent_id_idx",
			"t_pkey", "t_ts_idx", "t_txt_idx", "t_v100_idx", "t_v50_idx"}},
}

// TestObserve checks the harness against rows of locks-pg15.tsv, measured
// independently on PostgreSQL 15.18, then the details of an Observation.
func TestObserve(t *testing.T) {
	s := Start(t)
	t.Run("reference", func(t *testing.T) { testReferenceRows(t, s) })
	t.Run("details", func(t *testing.T) { testObserveDetails(t, s) })
}

func testReferenceRows(t *testing.T, s *Server) {
	ctx := context.Background()
	for _, ref := range references {
		t.Run(ref.id, func(t *testing.T) {
			o, err := s.Observe(ctx, ObserveInput{Setup: ref.setup, SQL: ref.sql, NoTx: ref.noTx})
			if err != nil {
				t.Fatal(err)
			}
			if ref.notice != "" && !slices.ContainsFunc(o.Notices, func(n string) bool { return strings.Contains(n, ref.notice) }) {
				t.Errorf("no notice %q in %q", ref.notice, o.Notices)
			}
			if ref.wantErr != "" {
				if o.Err == nil || o.Err.Code != ref.wantErr {
					t.Fatalf("error = %v, want SQLSTATE %s", o.Err, ref.wantErr)
				}
				return
			}
			if o.Err != nil {
				t.Fatalf("error: %v", o.Err)
			}
			if got := o.Lock("t"); got != ref.lockOnT {
				t.Errorf("lock on t = %v, want %v", got, ref.lockOnT)
			}
			if ref.locks != "" && o.LockList() != ref.locks {
				t.Errorf("locks:\n got  %s\n want %s", o.LockList(), ref.locks)
			}
			if !slices.Equal(o.Rewritten, ref.rewrites) {
				t.Errorf("rewritten = %q, want %q", o.Rewritten, ref.rewrites)
			}
			if o.SeqScans["t"] != ref.scans || o.TuplesRead["t"] != ref.tuples {
				t.Errorf("scans of t = %d (%d tuples), want %d (%d tuples)", o.SeqScans["t"], o.TuplesRead["t"], ref.scans, ref.tuples)
			}
			if ref.noTx {
				if o.Locks != nil || o.BlocksRead != nil {
					t.Errorf("outside a transaction nothing is probed, got locks %v, blocks %v", o.Locks, o.BlocksRead)
				}
				return
			}
			if o.BlocksRead["t"] != ref.blocksR || o.BlocksWrite["t"] != ref.blocksW {
				t.Errorf("blocks read/write of t = %v/%v, want %v/%v", o.BlocksRead["t"], o.BlocksWrite["t"], ref.blocksR, ref.blocksW)
			}
			if o.BlocksRead["parent"] || o.BlocksWrite["parent"] != ref.blocksWP {
				t.Errorf("blocks read/write of parent = %v/%v, want false/%v", o.BlocksRead["parent"], o.BlocksWrite["parent"], ref.blocksWP)
			}
		})
	}
}

func testObserveDetails(t *testing.T, s *Server) {
	ctx := context.Background()
	if v := s.Version(); v < 100000 {
		t.Fatalf("Version() = %d, want server_version_num", v)
	}

	t.Run("created and renamed relations", func(t *testing.T) {
		o, err := s.Observe(ctx, ObserveInput{SQL: "ALTER TABLE t RENAME TO t_renamed; CREATE TABLE newt (id bigserial PRIMARY KEY)"})
		if err != nil || o.Err != nil {
			t.Fatal(err, o.Err)
		}
		if got := o.Lock("t"); got != AccessExclusive {
			t.Errorf("lock on t (named as before the rename) = %v", got)
		}
		if got := o.Lock("newt(new)"); got != AccessExclusive {
			t.Errorf("lock on newt(new) = %v; locks %s", got, o.LockList())
		}
		if want := []string{"newt", "newt_id_seq", "newt_pkey"}; !slices.Equal(o.Created, want) {
			t.Errorf("created = %q, want %q", o.Created, want)
		}
		if o.Renamed["t"] != "t_renamed" || len(o.Renamed) != 1 {
			t.Errorf("renamed = %v", o.Renamed)
		}
	})

	t.Run("every observation starts from the fixture", func(t *testing.T) {
		// The previous subtest rolled back; this one commits (NoTx) a drop.
		o, err := s.Observe(ctx, ObserveInput{SQL: "DROP TABLE other", NoTx: true})
		if err != nil || o.Err != nil {
			t.Fatal(err, o.Err)
		}
		if !slices.Contains(o.Dropped, "other") {
			t.Errorf("dropped = %q", o.Dropped)
		}
		o, err = s.Observe(ctx, ObserveInput{SQL: "SELECT count(*) FROM other; SELECT count(*) FROM t_renamed"})
		if err != nil {
			t.Fatal(err)
		}
		if o.Err == nil || o.Err.Code != "42P01" || !strings.Contains(o.Err.Message, "t_renamed") {
			t.Errorf("other should be back and t_renamed gone, got %v", o.Err)
		}
		// SQL that commits by itself is undone too.
		if _, err := s.Observe(ctx, ObserveInput{SQL: "CREATE TABLE committed (x int); COMMIT; BEGIN; SELECT 1"}); err != nil {
			t.Fatal(err)
		}
		o, err = s.Observe(ctx, ObserveInput{SQL: "SELECT 1 FROM committed"})
		if err != nil || o.Err == nil || o.Err.Code != "42P01" {
			t.Errorf("a table committed by the previous SQL is still there: %v %v", err, o.Err)
		}
		// The fixture is rebuilt after an UPDATE rolled back: its dead tuples are not scanned.
		if _, err := s.Observe(ctx, ObserveInput{SQL: "UPDATE t SET nn = 0"}); err != nil {
			t.Fatal(err)
		}
		o, err = s.Observe(ctx, ObserveInput{SQL: "SELECT count(*) FROM t"})
		if err != nil {
			t.Fatal(err)
		}
		if o.TuplesRead["t"] != 10000 {
			t.Errorf("tuples read = %d, want 10000", o.TuplesRead["t"])
		}
	})

	t.Run("extended protocol rejects several statements", func(t *testing.T) {
		o, err := s.Observe(ctx, ObserveInput{SQL: "SELECT 1; SELECT 2", Extended: true})
		if err != nil {
			t.Fatal(err)
		}
		if o.Err == nil || o.Err.Code != "42601" {
			t.Errorf("error = %v, want 42601", o.Err)
		}
	})

	t.Run("probes", func(t *testing.T) {
		o, err := s.Observe(ctx, ObserveInput{SQL: "LOCK TABLE other IN SHARE MODE", Probes: []string{"other"}})
		if err != nil {
			t.Fatal(err)
		}
		if o.BlocksRead["other"] || !o.BlocksWrite["other"] || len(o.BlocksRead) != 1 {
			t.Errorf("blocks read %v, write %v", o.BlocksRead, o.BlocksWrite)
		}
		o, err = s.Observe(ctx, ObserveInput{SQL: "SELECT 1", Probes: []string{"nosuchtable", "t"}})
		if err != nil || len(o.BlocksRead) != 1 || len(o.BlocksWrite) != 1 {
			t.Errorf("a missing table is not probed: %v, %v %v", err, o.BlocksRead, o.BlocksWrite)
		}
		if _, err := s.Observe(ctx, ObserveInput{Setup: []string{"SELECT nosuchcolumn FROM t"}, SQL: "SELECT 1"}); err == nil {
			t.Error("a failing setup statement should be an error")
		}
	})

	t.Run("Exec", func(t *testing.T) {
		if err := s.Exec(ctx, "CREATE TABLE scratch (x int); INSERT INTO scratch VALUES (1)"); err != nil {
			t.Fatal(err)
		}
		if err := s.Exec(ctx, "SELECT nosuchcolumn FROM scratch"); err == nil {
			t.Error("Exec of a bad statement should fail")
		}
	})
}

// TestStopLeavesNothing checks that a server's processes and directory are
// gone once its test has ended. As root, the server runs as nobody, as on a
// machine without the postgres user (CI with PostgreSQL installed otherwise
// than by the Debian packages).
func TestStopLeavesNothing(t *testing.T) {
	if os.Geteuid() == 0 {
		saved := serverUsers
		serverUsers = []string{"nobody"}
		t.Cleanup(func() { serverUsers = saved })
	}
	var pid int
	var dir string
	t.Run("server", func(t *testing.T) {
		s := Start(t)
		pid, dir = s.pm.cmd.Process.Pid, s.pm.cmd.Dir
		if err := syscall.Kill(-pid, 0); err != nil {
			t.Fatalf("no process group %d while running: %v", pid, err)
		}
		if cred := s.pm.cmd.SysProcAttr.Credential; cred != nil {
			var st syscall.Stat_t
			if err := syscall.Stat(filepath.Join(dir, "data"), &st); err != nil || st.Uid != cred.Uid {
				t.Errorf("data directory owned by %d (%v), server runs as %d", st.Uid, err, cred.Uid)
			}
		}
		o, err := s.Observe(context.Background(), ObserveInput{SQL: "ALTER TABLE t ADD COLUMN c_new integer"})
		if err != nil || o.Err != nil || o.Lock("t") != AccessExclusive {
			t.Fatalf("observe: %v %v %s", err, o.Err, o.LockList())
		}
	})
	if pid == 0 {
		t.Skip("no server was started")
	}
	// postgres runs in its own process group (Setpgid), which all its
	// backends and workers share: the group must be empty.
	if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("processes of group %d still alive after cleanup (kill: %v)", pid, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still exists after cleanup: %v", dir, err)
	}
}

// fakeTB records Skip and Fatal instead of ending the test.
type fakeTB struct {
	testing.TB
	skipped, fatal string
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Cleanup(func())        {}
func (f *fakeTB) Skip(args ...any)      { f.skipped = strings.TrimSpace(fmtln(args)); runtime.Goexit() }
func (f *fakeTB) Fatal(args ...any)     { f.fatal = strings.TrimSpace(fmtln(args)); runtime.Goexit() }
func (f *fakeTB) Fatalf(string, ...any) { f.fatal = "Fatalf"; runtime.Goexit() }

func fmtln(args []any) string {
	var b strings.Builder
	for _, a := range args {
		b.WriteString(a.(string))
	}
	return b.String()
}

func TestMissingBinaries(t *testing.T) {
	bannerOutput = io.Discard
	t.Cleanup(func() { bannerOutput = os.Stderr })
	t.Setenv(EnvBinDir, t.TempDir())
	run := func() *fakeTB {
		f := &fakeTB{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			Start(f)
		}()
		<-done
		return f
	}
	t.Setenv(EnvRequire, "")
	if f := run(); !strings.Contains(f.skipped, "NO REAL POSTGRESQL") || f.fatal != "" {
		t.Errorf("without %s: skipped %q, fatal %q", EnvRequire, f.skipped, f.fatal)
	}
	t.Setenv(EnvRequire, "1")
	if f := run(); !strings.Contains(f.fatal, "NO REAL POSTGRESQL") || f.skipped != "" {
		t.Errorf("with %s=1: skipped %q, fatal %q", EnvRequire, f.skipped, f.fatal)
	}
}

func TestMode(t *testing.T) {
	for m := AccessShare; m <= AccessExclusive; m++ {
		for _, s := range []string{m.String(), m.PGName(), strings.TrimSuffix(m.PGName(), "Lock")} {
			if got, err := ParseMode(s); got != m || err != nil {
				t.Errorf("ParseMode(%q) = %v, %v; want %v", s, got, err, m)
			}
		}
	}
	if AccessExclusive.String() != "ACCESS EXCLUSIVE" || ShareUpdateExclusive.PGName() != "ShareUpdateExclusiveLock" {
		t.Error("mode names")
	}
	if NoLock.String() != "none" || !(RowExclusive < Share && Share < AccessExclusive) {
		t.Error("NoLock or order")
	}
	if _, err := ParseMode("SIAccessLock"); err == nil {
		t.Error("ParseMode accepts a predicate lock")
	}
}

// TestReferenceTable replays all of locks-pg15.tsv (about 25 s) and compares
// every measured column but the lock list, whose naming of transient objects
// differs. Opt in with LOCKWISE_PGTEST_REFERENCE=1 (path in
// LOCKWISE_PGTEST_TSV, default: shared/ beside the repository).
func TestReferenceTable(t *testing.T) {
	if os.Getenv("LOCKWISE_PGTEST_REFERENCE") != "1" {
		t.Skip("set LOCKWISE_PGTEST_REFERENCE=1 to replay all of locks-pg15.tsv")
	}
	path := os.Getenv("LOCKWISE_PGTEST_TSV")
	if path == "" {
		path = "../../../../shared/reference/locks-pg15.tsv"
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes = '\t', true
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	s := Start(t)
	ctx := context.Background()
	errCode := regexp.MustCompile(`ERROR ([0-9A-Z]{5})`)
	mark := func(b bool, yes string) string {
		if b {
			return yes
		}
		return "no"
	}
	start := time.Now()
	for _, rec := range recs[1:] {
		get := func(k string) string { return rec[col[k]] }
		t.Run(get("id"), func(t *testing.T) {
			var setup []string
			if v := get("session"); v != "" {
				setup = append(setup, v)
			}
			if v := get("setup"); v != "" {
				setup = append(setup, strings.Split(v, " ; ")...)
			}
			in := ObserveInput{SQL: get("sql"), Setup: setup, NoTx: get("mode") == "conc"}
			o, err := s.Observe(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			check := func(column, got string) {
				if want := get(column); got != want {
					t.Errorf("%s: tsv %q, measured %q", column, want, got)
				}
			}
			switch {
			case get("lock_on_t") == "ERROR":
				if m := errCode.FindStringSubmatch(get("notes")); o.Err == nil || m == nil || o.Err.Code != m[1] {
					t.Errorf("error %v, tsv notes %q", o.Err, get("notes"))
				}
			case in.NoTx:
				if o.Err != nil {
					t.Fatal(o.Err)
				}
				check("rewrites_t", mark(slices.Contains(o.Rewritten, "t"), "yes"))
				in.NoTx = false
				if o, err = s.Observe(ctx, in); err != nil || o.Err == nil || o.Err.Code != "25001" {
					t.Errorf("in a transaction: %v, %v; want 25001", err, o.Err)
				}
			default:
				if o.Err != nil {
					t.Fatal(o.Err)
				}
				lock := o.Lock("t").PGName()
				if lock == "" {
					lock = "none"
				}
				check("lock_on_t", lock)
				rewrite := mark(slices.Contains(o.Rewritten, "t"), "yes")
				if slices.Contains(o.Dropped, "t") {
					rewrite = "dropped"
				}
				check("rewrites_t", rewrite)
				check("blocks_select_t", mark(o.BlocksRead["t"], "BLOCKED"))
				check("blocks_dml_t", mark(o.BlocksWrite["t"], "BLOCKED"))
				check("blocks_select_parent", mark(o.BlocksRead["parent"], "BLOCKED"))
				check("blocks_dml_parent", mark(o.BlocksWrite["parent"], "BLOCKED"))
				check("t_seq_scans", strconv.FormatInt(o.SeqScans["t"], 10))
				check("t_tuples_read", strconv.FormatInt(o.TuplesRead["t"], 10))
				check("parent_seq_scans", strconv.FormatInt(o.SeqScans["parent"], 10))
			}
		})
	}
	t.Logf("%d rows in %v", len(recs)-1, time.Since(start))
}

// TestHolder checks observations of statements that run outside a
// transaction, stalled behind another session's open transaction.
func TestHolder(t *testing.T) {
	s := Start(t)
	ctx := context.Background()
	t.Run("create index concurrently", func(t *testing.T) {
		o, err := s.Observe(ctx, ObserveInput{SQL: "CREATE INDEX CONCURRENTLY t_bi_idx ON t (bi)", NoTx: true,
			Holder: "DELETE FROM t WHERE false"})
		if err != nil || o.Err != nil {
			t.Fatal(err, o.Err)
		}
		if !o.Stalled || o.Lock("t") != ShareUpdateExclusive || o.BlocksRead["t"] || o.BlocksWrite["t"] {
			t.Errorf("stalled %v, locks %s, waiting %v, blocks %v %v", o.Stalled, o.LockList(), o.Waiting, o.BlocksRead, o.BlocksWrite)
		}
		if !slices.Contains(o.Created, "t_bi_idx") {
			t.Errorf("created %q", o.Created)
		}
	})
	t.Run("vacuum full waits for its lock", func(t *testing.T) {
		o, err := s.Observe(ctx, ObserveInput{SQL: "VACUUM FULL t", NoTx: true, Holder: "SELECT 1 FROM t LIMIT 1"})
		if err != nil || o.Err != nil {
			t.Fatal(err, o.Err)
		}
		if !o.Stalled || o.Waiting["t"] != AccessExclusive || !o.BlocksRead["t"] || !o.BlocksWrite["t"] {
			t.Errorf("stalled %v, locks %s, waiting %v, blocks %v %v", o.Stalled, o.LockList(), o.Waiting, o.BlocksRead, o.BlocksWrite)
		}
		if !slices.Contains(o.Rewritten, "t") {
			t.Errorf("rewritten %q", o.Rewritten)
		}
	})
	t.Run("in a transaction, with and without lock_timeout", func(t *testing.T) {
		in := ObserveInput{SQL: "ALTER TABLE t ADD COLUMN c_new integer", Holder: "SELECT 1 FROM t WHERE false", HoldFor: 300 * time.Millisecond}
		o, err := s.Observe(ctx, in)
		if err != nil || o.Err != nil || !o.Stalled || o.Waiting["t"] != AccessExclusive || o.Lock("t") != AccessExclusive || !o.BlocksRead["t"] {
			t.Fatalf("%v %v: stalled %v waiting %v locks %s", err, o.Err, o.Stalled, o.Waiting, o.LockList())
		}
		in.SQL = "SET LOCAL lock_timeout = '50ms'; " + in.SQL
		o, err = s.Observe(ctx, in)
		if err != nil || o.Err == nil || o.Err.Code != "55P03" {
			t.Fatalf("with lock_timeout: %v %v", err, o.Err)
		}
	})
	t.Run("no stall", func(t *testing.T) {
		o, err := s.Observe(ctx, ObserveInput{SQL: "VACUUM t", NoTx: true, Holder: "SELECT 1 FROM t LIMIT 1"})
		if err != nil || o.Err != nil || o.Stalled || o.Locks != nil {
			t.Fatal(err, o.Err, o.Stalled, o.Locks)
		}
		if got := o.Indexes["t"]; len(got) != 8 || got[0] != "t_i_idx" {
			t.Errorf("indexes of t: %q", got)
		}
	})
}
