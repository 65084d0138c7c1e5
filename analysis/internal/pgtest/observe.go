package pgtest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DefaultProbes are the tables probed when ObserveInput.Probes is nil.
var DefaultProbes = []string{"t", "parent"}

// ObserveInput says what to run and how.
type ObserveInput struct {
	// Setup statements run first, in the observed session, each committed on
	// its own: extra fixture (ChildTable, FKTtoParent...) or session settings
	// (SET TimeZone = 'America/New_York'), which stay in force for SQL.
	Setup []string
	// SQL is the statement observed. Several statements separated by ';' run
	// together (simple query protocol), in the same transaction.
	SQL string
	// NoTx runs SQL outside a transaction block, in autocommit, as Ecto does
	// under @disable_ddl_transaction: the way to run CREATE INDEX
	// CONCURRENTLY, VACUUM, REINDEX CONCURRENTLY for real. Without Holder
	// nothing can be probed then, and no lock is seen (they are released
	// when SQL returns): the Observation reports the error, the catalog
	// changes, the scans and the notices.
	NoTx bool
	// Extended sends SQL with the extended query protocol, as Postgrex does:
	// a string holding several statements then fails with 42601.
	Extended bool
	// Holder, with NoTx, is run first in another session, in a transaction
	// (REPEATABLE READ) left open while SQL runs, so that SQL stalls at a
	// point where it waits for that transaction: CREATE INDEX CONCURRENTLY
	// waits for the writers of its table ("DELETE FROM t WHERE false") and
	// for older snapshots, VACUUM FULL for any lock on its table. While SQL
	// waits, the Observation records its locks (Locks, Waiting) and the
	// probes; then the holder rolls back and SQL finishes. Stalled tells
	// whether SQL waited at all. In a transaction (no NoTx) the holder
	// only makes SQL wait: Stalled and Waiting tell whether and for what,
	// and the rest is observed once SQL is done, as without a holder. Rows
	// the holder reads count in a NoTx observation's SeqScans: make it
	// read none ("SELECT 1 FROM t WHERE false" takes its lock and snapshot).
	Holder string
	// HoldFor keeps the holder's transaction open that long after SQL
	// started waiting, so that a lock_timeout in force in SQL's session
	// can make it fail (55P03) rather than get its lock.
	HoldFor time.Duration
	// Probes are the tables whose reads and writes are tried from other
	// sessions while SQL's transaction is open (or, with Holder, while SQL
	// waits); nil means DefaultProbes, an
	// empty non-nil slice means no probe. Tables that do not exist before
	// SQL are not probed.
	Probes []string
}

// Observation is what the server did while running one statement.
//
// Objects are named as follows. A relation that existed before SQL keeps its
// name from before (so "t" even after ALTER TABLE t RENAME TO u), schema
// qualified unless it is in public; a toast table is "t(toast)" and its index
// "t(toast-index)" after their owner. A relation or type that SQL created is
// suffixed "(new)" ("t_c_new_key(new)"); one created and dropped again
// within SQL (the transient heap of a table rewrite, its row type) is
// "relation 16926(transient)". Other objects: "type mood", "schema public",
// or by catalog and OID ("pg_constraint object 17733": the constraint, its
// triggers, a column default, which DROP locks). Only user objects are listed,
// never system catalogs nor the database.
type Observation struct {
	// Err is the error SQL ended with, nil if it succeeded. In a transaction
	// nothing but Err and Notices is observed after an error.
	Err *PGError
	// Locks maps each object SQL's transaction held a lock on (pg_locks,
	// relation and object locks) to the distinct modes held, weakest first.
	// With Holder, these are the locks SQL's session held while it waited.
	Locks map[string][]Mode
	// Stalled is true when SQL waited for Holder's transaction; Waiting then
	// maps the object whose lock it waited for, if any (not for a wait on a
	// transaction), to the mode it asked for.
	Stalled bool
	Waiting map[string]Mode
	// Rewritten lists the relations with storage (tables, indexes, toast,
	// sequences, materialized views) whose pg_class.relfilenode changed: the
	// data was copied, rebuilt or truncated into new files. An index dropped and recreated under the same name counts
	// when the new one has new storage. Sorted.
	Rewritten []string
	// Indexes maps each table, partitioned table and materialized view that
	// existed before SQL to the names of its indexes then, sorted (an empty
	// slice when it had none): what "every index of t" means.
	Indexes map[string][]string
	// Created and Dropped list the relations that appeared and disappeared
	// (plain names, no "(new)"). Sorted.
	Created, Dropped []string
	// Renamed maps the old name of each relation that has a new one to it
	// ("t" -> "t_renamed"); nil when none.
	Renamed map[string]string
	// SeqScans and TuplesRead are pg_stat seq_scan and seq_tup_read counted
	// for SQL, per table; tables with no scan are absent. Index builds count
	// as scans. For NoTx they are measured with pg_stat_force_next_flush and
	// are nil before PostgreSQL 15.
	SeqScans, TuplesRead map[string]int64
	// HeapBlocks, for NoTx only (nil otherwise, and before PostgreSQL 15),
	// counts the blocks of each table's heap SQL read or found in the
	// buffer cache (pg_statio heap_blks_read + heap_blks_hit): what shows
	// that plain VACUUM, which is no sequential scan, read the table.
	HeapBlocks map[string]int64
	// Blocks is the size in blocks of each table that existed before SQL.
	Blocks map[string]int64
	// BlocksRead and BlocksWrite tell, for each probed table, whether
	// "SELECT 1 FROM tbl WHERE false" and "DELETE FROM tbl WHERE false" run
	// from another session waited longer than ProbeLockTimeout for a lock.
	// The read probe takes ACCESS SHARE on the table and its indexes, as the
	// planning of any query does; the write probe ROW EXCLUSIVE, as any
	// INSERT, UPDATE or DELETE does. Neither touches a row (nor counts as a
	// scan of the table): row locks held by SQL (UPDATE of every row) do not
	// count, as in locks-pg15.tsv.
	BlocksRead, BlocksWrite map[string]bool
	// Notices are the messages the server sent while SQL ran, with
	// client_min_messages = debug1: `DEBUG: rewriting table "t"`,
	// `DEBUG: verifying table "t"`, `DEBUG: building index ...`, warnings.
	Notices []string
}

// PGError is an error reported by PostgreSQL.
type PGError struct {
	Code    string // SQLSTATE, e.g. "25001"
	Message string
}

func (e *PGError) Error() string { return e.Code + ": " + e.Message }

// Lock returns the strongest mode held on object, NoLock when none.
func (o *Observation) Lock(object string) Mode {
	modes := o.Locks[object]
	if len(modes) == 0 {
		return NoLock
	}
	return modes[len(modes)-1]
}

// LockList renders Locks as locks-pg15.tsv's all_locks column does:
// "parent=AccessShareLock+ShareRowExclusiveLock; t=AccessExclusiveLock".
func (o *Observation) LockList() string {
	names := make([]string, 0, len(o.Locks))
	for name := range o.Locks {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		modes := make([]string, len(o.Locks[name]))
		for j, m := range o.Locks[name] {
			modes[j] = m.PGName()
		}
		parts[i] = name + "=" + strings.Join(modes, "+")
	}
	return strings.Join(parts, "; ")
}

// Observe starts from a freshly built Fixture (rebuilt unless nothing ran
// since ResetFixture or Start but observations in a transaction without
// Setup, which only rolled back; this also undoes an Exec), opens a new
// session, runs in.Setup, then BEGIN (unless in.NoTx) and in.SQL. While the
// transaction is still open it reads the locks the session holds, the catalog
// and the per-transaction scan counters, and probes in.Probes from other
// sessions; then it rolls back. A statement error is reported in
// Observation.Err; the Go error is for everything else (a setup statement
// failing, a probe failing for another reason than its lock timeout, the
// connection).
func (s *Server) Observe(ctx context.Context, in ObserveInput) (*Observation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dirty {
		if err := s.resetFixture(ctx); err != nil {
			return nil, fmt.Errorf("pgtest: rebuilding the fixture: %w", err)
		}
	}

	var notices []string
	capture := false
	cfg := s.connCfg.Copy()
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		if capture {
			notices = append(notices, n.Severity+": "+n.Message)
		}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())

	// Whatever runs now may leave the database changed: Setup and NoTx
	// commit. observeTx marks it clean again when all it did was roll back.
	s.dirty = true
	for _, q := range in.Setup {
		if _, err := conn.Exec(ctx, q); err != nil {
			return nil, fmt.Errorf("pgtest: setup %q: %w", q, err)
		}
	}
	if _, err := conn.Exec(ctx, "SET client_min_messages = debug1"); err != nil {
		return nil, err
	}
	before, err := readCatalog(ctx, conn, true)
	if err != nil {
		return nil, err
	}
	run := func() error {
		capture = true
		defer func() { capture = false }()
		if in.Extended {
			return conn.PgConn().ExecParams(ctx, in.SQL, nil, nil, nil, nil).Read().Err
		}
		_, err := conn.PgConn().Exec(ctx, in.SQL).ReadAll()
		return err
	}
	obs := &Observation{}
	if in.NoTx {
		err = s.observeNoTx(ctx, conn, before, run, in, obs)
	} else {
		err = s.observeTx(ctx, conn, before, run, in, obs)
	}
	if err != nil {
		return nil, err
	}
	obs.Notices = notices
	return obs, nil
}

// sessionOnly reports whether setup statements only change session
// settings (SET TimeZone ...), which end with the observed session.
func sessionOnly(setup []string) bool {
	for _, q := range setup {
		if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(q)), "SET ") {
			return false
		}
	}
	return true
}

// statementError turns a server error into a PGError, and leaves any other
// error (connection, context) to the caller.
func statementError(err error) (*PGError, error) {
	if err == nil {
		return nil, nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return &PGError{Code: pgErr.Code, Message: pgErr.Message}, nil
	}
	return nil, err
}

func (s *Server) observeTx(ctx context.Context, conn *pgx.Conn, before *catalog, run func() error,
	in ObserveInput, obs *Observation) error {
	sameTx := false
	probes := in.Probes
	// Since PostgreSQL 15, pg_stat_xact_* also shows the counts of earlier
	// transactions of the session not yet flushed to shared memory, such as
	// the scans of Setup: have them flushed, at the end of this query.
	if s.version >= 150000 {
		if _, err := conn.Exec(ctx, "SELECT pg_stat_force_next_flush()"); err != nil {
			return err
		}
	}
	if _, err := conn.Exec(ctx, "BEGIN"); err != nil {
		return err
	}
	// xact_start tells whether SQL ended the transaction and began another
	// (COMMIT; BEGIN ...); it is asked from the admin session. It is NULL
	// once the transaction is aborted: then it is not known.
	xactStart := func() (*time.Time, error) {
		var t *time.Time
		err := s.admin.QueryRow(ctx, "SELECT xact_start FROM pg_stat_activity WHERE pid = $1",
			int64(conn.PgConn().PID())).Scan(&t)
		return t, err
	}
	started, err := xactStart()
	if err != nil {
		return err
	}
	defer func() {
		_, err := conn.Exec(context.Background(), "ROLLBACK")
		// Rolled back, the database is the fixture again (but for dead
		// tuples, sequence values and statistics, which no observation
		// depends on), unless Setup changed it or SQL committed.
		if err == nil && sessionOnly(in.Setup) && sameTx {
			s.dirty = false
		}
	}()
	if in.Holder != "" {
		err = s.runStalled(ctx, conn, before, run, in, obs)
	} else {
		obs.Err, err = statementError(run())
	}
	if err != nil {
		return err
	}
	if conn.PgConn().TxStatus() == 'T' {
		end, err := xactStart()
		if err != nil {
			return err
		}
		sameTx = started != nil && end != nil && end.Equal(*started)
	}
	if obs.Err != nil {
		return nil
	}

	// First the locks, before any other query could add its own.
	locks, err := readLocks(ctx, conn, conn.PgConn().PID())
	if err != nil {
		return err
	}
	after, err := readCatalog(ctx, conn, false)
	if err != nil {
		return err
	}
	names := namer{before, after}
	if obs.Locks, _, err = locks.byName(names); err != nil {
		return err
	}
	if obs.SeqScans, obs.TuplesRead, err = readScans(ctx, conn, "pg_stat_xact_user_tables", names); err != nil {
		return err
	}
	diffCatalogs(before, after, obs)
	if probes == nil {
		probes = DefaultProbes
	}
	return s.probe(ctx, probes, before, obs)
}

func (s *Server) observeNoTx(ctx context.Context, conn *pgx.Conn, before *catalog, run func() error,
	in ObserveInput, obs *Observation) error {
	// Scans: pg_stat_user_tables before and after, each read after forcing
	// this backend to flush its pending counters (PostgreSQL 15+).
	stats := s.version >= 150000
	var scans0, tuples0, blocks0 map[string]int64
	names := namer{before, before}
	flushAndRead := func() (scans, tuples, blocks map[string]int64, err error) {
		if _, err := conn.Exec(ctx, "SELECT pg_stat_force_next_flush()"); err != nil {
			return nil, nil, nil, err
		}
		if scans, tuples, err = readScans(ctx, conn, "pg_stat_user_tables", names); err != nil {
			return nil, nil, nil, err
		}
		blocks, err = readHeapBlocks(ctx, conn, names)
		return scans, tuples, blocks, err
	}
	if stats {
		var err error
		if scans0, tuples0, blocks0, err = flushAndRead(); err != nil {
			return err
		}
	}
	var err error
	if in.Holder != "" {
		err = s.runStalled(ctx, conn, before, run, in, obs)
	} else {
		obs.Err, err = statementError(run())
	}
	if err != nil {
		return err
	}
	after, err := readCatalog(ctx, conn, false)
	if err != nil {
		return err
	}
	diffCatalogs(before, after, obs)
	if stats {
		names.after = after
		scans, tuples, blocks, err := flushAndRead()
		if err != nil {
			return err
		}
		obs.SeqScans, obs.TuplesRead = subtract(scans, scans0), subtract(tuples, tuples0)
		obs.HeapBlocks = subtract(blocks, blocks0)
	}
	return nil
}

// stallTimeout bounds the wait for SQL to stall behind Holder.
const stallTimeout = 10 * time.Second

// runStalled runs SQL while another session keeps a transaction open that
// ran in.Holder. When SQL waits for a lock it records what it waits for
// and, for NoTx, the locks SQL's backend holds and the probes of
// in.Probes; then (after in.HoldFor) it ends the holder's transaction and
// lets SQL finish.
func (s *Server) runStalled(ctx context.Context, conn *pgx.Conn, before *catalog, run func() error,
	in ObserveInput, obs *Observation) error {
	holder, err := s.probes.Acquire(ctx)
	if err != nil {
		return err
	}
	defer holder.Release()
	// REPEATABLE READ: the holder's snapshot is taken by its first query and
	// kept, so that statements waiting for older snapshots wait for it too.
	if _, err := holder.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ"); err != nil {
		return err
	}
	holding := true
	release := func() error {
		if !holding {
			return nil
		}
		holding = false
		_, err := holder.Exec(context.Background(), "ROLLBACK")
		return err
	}
	defer release()
	if _, err := holder.Exec(ctx, in.Holder); err != nil {
		return fmt.Errorf("pgtest: holder %q: %w", in.Holder, err)
	}

	pid := conn.PgConn().PID()
	done := make(chan error, 1)
	go func() { done <- run() }()
	var runErr error
	finished := false
	// However this function returns, SQL's session must be idle again
	// before Observe closes it: end the holder's transaction, then wait.
	defer func() {
		if !finished {
			release()
			<-done
		}
	}()

	deadline := time.Now().Add(stallTimeout)
	for !finished && !obs.Stalled {
		select {
		case runErr = <-done:
			finished = true
			continue
		case <-time.After(2 * time.Millisecond):
		}
		var event string
		if err := s.admin.QueryRow(ctx, "SELECT coalesce(wait_event_type, '') FROM pg_stat_activity WHERE pid = $1",
			int64(pid)).Scan(&event); err != nil {
			return err
		}
		obs.Stalled = event == "Lock"
		if !obs.Stalled && time.Now().After(deadline) {
			return fmt.Errorf("pgtest: %q neither waited for a lock nor ended within %v", in.SQL, stallTimeout)
		}
	}
	if obs.Stalled {
		locks, err := readLocks(ctx, s.admin, pid)
		if err != nil {
			return err
		}
		now, err := readCatalog(ctx, s.admin, false)
		if err != nil {
			return err
		}
		held, waiting, err := locks.byName(namer{before, now})
		if err != nil {
			return err
		}
		obs.Waiting = waiting
		if in.HoldFor > 0 && !finished {
			// Give SQL the chance to give up by itself (its lock_timeout).
			select {
			case runErr = <-done:
				finished = true
			case <-time.After(in.HoldFor):
			}
		}
		// In a transaction, locks and probes are observed once SQL is done.
		if in.NoTx {
			obs.Locks = held
			probes := in.Probes
			if probes == nil {
				probes = DefaultProbes
			}
			if err := s.probe(ctx, probes, before, obs); err != nil {
				return err
			}
		}
	}
	if err := release(); err != nil {
		return err
	}
	if !finished {
		runErr = <-done
		finished = true
	}
	obs.Err, err = statementError(runErr)
	return err
}

func subtract(a, b map[string]int64) map[string]int64 {
	d := map[string]int64{}
	for k, v := range a {
		if v -= b[k]; v != 0 {
			d[k] = v
		}
	}
	return d
}

// readScans reads seq_scan and seq_tup_read of every table with a scan from
// a pg_stat view.
func readScans(ctx context.Context, conn *pgx.Conn, view string, names namer) (scans, tuples map[string]int64, err error) {
	rows, err := conn.Query(ctx, "SELECT relid::int8, seq_scan, seq_tup_read FROM "+view+" WHERE seq_scan > 0")
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	scans, tuples = map[string]int64{}, map[string]int64{}
	for rows.Next() {
		var oid, n, tup int64
		if err := rows.Scan(&oid, &n, &tup); err != nil {
			return nil, nil, err
		}
		name := names.name(pgClass, uint32(oid))
		scans[name], tuples[name] = n, tup
	}
	return scans, tuples, rows.Err()
}

// lockRow is one row of pg_locks.
type lockRow struct {
	locktype            string
	rel, classid, objid uint32
	mode                string
	granted             bool
}

type lockRows []lockRow

// readLocks reads the relation and object locks that backend pid holds or
// waits for.
func readLocks(ctx context.Context, conn *pgx.Conn, pid uint32) (lockRows, error) {
	rows, err := conn.Query(ctx, `SELECT locktype, coalesce(relation, 0)::int8, coalesce(classid, 0)::int8,
		coalesce(objid, 0)::int8, mode, granted
		FROM pg_locks WHERE pid = $1 AND locktype IN ('relation', 'object')`, int64(pid))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (lockRow, error) {
		var l lockRow
		var rel, classid, objid int64
		err := r.Scan(&l.locktype, &rel, &classid, &objid, &l.mode, &l.granted)
		l.rel, l.classid, l.objid = uint32(rel), uint32(classid), uint32(objid)
		return l, err
	})
}

// byName names the locks of user objects (see Observation) and splits them
// into the modes held and the mode waited for.
func (ls lockRows) byName(names namer) (held map[string][]Mode, waiting map[string]Mode, err error) {
	held, waiting = map[string][]Mode{}, map[string]Mode{}
	for _, l := range ls {
		var name string
		switch {
		case l.locktype == "relation" && l.rel >= firstNormalOID:
			name = names.name(pgClass, l.rel)
		case l.locktype == "object" && l.objid >= firstNormalOID:
			name = names.name(l.classid, l.objid)
		default:
			continue // system catalogs, the database itself
		}
		m, err := ParseMode(l.mode)
		if err != nil {
			return nil, nil, err
		}
		if l.granted {
			held[name] = addMode(held[name], m)
		} else {
			waiting[name] = m
		}
	}
	return held, waiting, nil
}

// readHeapBlocks reads the heap blocks each table had read or hit, from
// pg_statio_user_tables.
func readHeapBlocks(ctx context.Context, conn *pgx.Conn, names namer) (map[string]int64, error) {
	rows, err := conn.Query(ctx, `SELECT relid::int8, coalesce(heap_blks_read, 0) + coalesce(heap_blks_hit, 0)
		FROM pg_statio_user_tables`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	blocks := map[string]int64{}
	for rows.Next() {
		var oid, n int64
		if err := rows.Scan(&oid, &n); err != nil {
			return nil, err
		}
		blocks[names.name(pgClass, uint32(oid))] = n
	}
	return blocks, rows.Err()
}

// probe runs the read and write probes of every table concurrently, each on
// its own session with lock_timeout = ProbeLockTimeout. Probes never wait for
// each other: they ask for ACCESS SHARE and ROW EXCLUSIVE, which conflict
// with neither each other nor anything queued by another probe.
func (s *Server) probe(ctx context.Context, tables []string, before *catalog, obs *Observation) error {
	obs.BlocksRead, obs.BlocksWrite = map[string]bool{}, map[string]bool{}
	existed := map[string]bool{}
	for _, r := range before.rels {
		existed[r.relname] = true
	}
	type job struct {
		table, sql string
		into       map[string]bool
	}
	var jobs []job
	for _, tbl := range tables {
		if !existed[tbl] {
			continue // nothing to wait for: created by SQL, or never there
		}
		q := quoteIdent(tbl)
		jobs = append(jobs,
			job{tbl, "SELECT 1 FROM " + q + " WHERE false", obs.BlocksRead},
			job{tbl, "DELETE FROM " + q + " WHERE false", obs.BlocksWrite})
	}
	blocked := make([]bool, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.probes.Exec(ctx, j.sql)
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "55P03" { // lock_not_available
				blocked[i] = true
			} else if err != nil {
				errs[i] = fmt.Errorf("pgtest: probe %q: %w", j.sql, err)
			}
		}()
	}
	wg.Wait()
	for i, j := range jobs {
		j.into[j.table] = blocked[i]
	}
	return errors.Join(errs...)
}

func addMode(modes []Mode, m Mode) []Mode {
	i := sort.Search(len(modes), func(i int) bool { return modes[i] >= m })
	if i < len(modes) && modes[i] == m {
		return modes
	}
	modes = append(modes, NoLock)
	copy(modes[i+1:], modes[i:])
	modes[i] = m
	return modes
}
