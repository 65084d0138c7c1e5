// Package pgtest starts a throwaway PostgreSQL server for tests and observes
// what one SQL statement really does there: the locks it holds, the relations
// it rewrites, creates or drops, the sequential scans it runs, and whether
// reads and writes from another session are blocked while its transaction is
// open. Tests use it to check every lock claim lockwise makes against the
// server itself, the way shared/reference/locks-pg15.tsv was measured.
//
//	s := pgtest.Start(t)
//	o, err := s.Observe(ctx, pgtest.ObserveInput{SQL: "CREATE INDEX ON t (nn)"})
//	// o.Lock("t") == pgtest.Share, o.BlocksWrite["t"], !o.BlocksRead["t"]
//
// The server is found on the machine (see Start); without one the tests are
// skipped with a loud message, or fail when LOCKWISE_REQUIRE_ALL=1. It is the
// only package that imports the Postgres client (pgx).
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Environment variables read by Start.
const (
	// EnvRequire set to 1 turns "no PostgreSQL here" from a skip into a failure (CI).
	EnvRequire = "LOCKWISE_REQUIRE_ALL"
	// EnvBinDir names a directory holding initdb and postgres, tried before PATH.
	EnvBinDir = "LOCKWISE_PG_BIN"
)

// ProbeLockTimeout is how long a probe waits for its lock before it counts as
// blocked (the probe sessions' lock_timeout). A probe whose lock conflicts
// with nothing never waits at all, however busy the machine: any wait means
// it is blocked, so this only needs to be positive.
const ProbeLockTimeout = 25 * time.Millisecond

// Server is a running throwaway PostgreSQL cluster. Its methods serialise on a
// mutex: tests that want parallelism start one Server each.
type Server struct {
	pm      *postmaster
	version int
	connCfg *pgx.ConnConfig // template for the observed sessions
	probes  *pgxpool.Pool   // sessions with lock_timeout = ProbeLockTimeout

	mu    sync.Mutex
	admin *pgx.Conn
	dirty bool // the database may differ from a fresh Fixture
}

// Start finds the PostgreSQL binaries ($LOCKWISE_PG_BIN, then initdb on PATH,
// then the newest /usr/lib/postgresql/*/bin), runs initdb into a fresh
// temporary directory, starts postgres listening on a Unix socket in that
// directory only (no TCP: listen_addresses is empty), with fsync and
// autovacuum off, and builds Fixture. The server is stopped (immediate shutdown) and its directory
// removed when the test ends.
//
// initdb and postgres refuse to run as root. When the test runs as root (as it
// does on the team's machines and in CI) they run as the user postgres, which
// the Debian/Ubuntu packages create, or else as nobody: CI installs PostgreSQL
// on a fresh machine and a build that comes from elsewhere (a tarball, a
// source build, a container layer) may not have created postgres, while
// nobody exists on every Debian-like system. The data directory is chowned to
// that user.
//
// When no binaries are found, or no unprivileged user can run them, Start
// skips the test with a loud message, or fails it when LOCKWISE_REQUIRE_ALL=1.
// Any other failure (initdb or postgres failing) fails the test.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := findBinDir()
	if err != nil {
		unavailable(t, err)
	}
	cred, err := unprivilegedCredential()
	if err != nil {
		unavailable(t, err)
	}
	dir, err := makeDir(cred)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	data := filepath.Join(dir, "data")
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
		"-A", "trust", "-E", "UTF8", "--locale=C", "-N")
	initdb.Dir = dir // the unprivileged user may not be able to enter ours
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("pgtest: %s failed: %v\n%s", initdb, err, out)
	}

	p, err := startPostmaster(bin, dir, data, cred)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	s := &Server{pm: p}
	t.Cleanup(func() {
		s.close()
		if err := p.stop(); err != nil {
			t.Errorf("pgtest: stopping postgres: %v", err)
		}
	})
	if err := s.connect(ctx, dir); err != nil {
		t.Fatalf("pgtest: %v\n%s", err, p.logTail())
	}
	if err := s.ResetFixture(ctx); err != nil {
		t.Fatalf("pgtest: building the fixture: %v", err)
	}
	return s
}

var (
	banner       sync.Once
	bannerOutput io.Writer = os.Stderr
)

// unavailable skips (or, with LOCKWISE_REQUIRE_ALL=1, fails) the test because
// no real PostgreSQL can run here. The message also goes to stderr once, so
// that it is seen without -v.
func unavailable(t testing.TB, reason error) {
	t.Helper()
	msg := fmt.Sprintf("pgtest: NO REAL POSTGRESQL: %v. Lock claims are NOT checked against a server. "+
		"Install PostgreSQL (Debian: apt-get install postgresql-15) or set %s to the directory of initdb/postgres; "+
		"set %s=1 to make this a failure instead of a skip.", reason, EnvBinDir, EnvRequire)
	if os.Getenv(EnvRequire) == "1" {
		t.Fatal(msg)
	}
	banner.Do(func() {
		fmt.Fprintf(bannerOutput, "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n%s\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n", msg)
	})
	t.Skip(msg)
}

// findBinDir returns a directory holding both initdb and postgres.
func findBinDir() (string, error) {
	has := func(dir string) bool {
		for _, name := range []string{"initdb", "postgres"} {
			if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
				return false
			}
		}
		return true
	}
	if dir := os.Getenv(EnvBinDir); dir != "" {
		if has(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("%s=%s holds no initdb and postgres", EnvBinDir, dir)
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if has(filepath.Dir(p)) {
			return filepath.Dir(p), nil
		}
		// A lone symlink on PATH (/usr/local/bin/initdb): postgres sits next to its target.
		if r, err := filepath.EvalSymlinks(p); err == nil && has(filepath.Dir(r)) {
			return filepath.Dir(r), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(dir string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64) // "15", "9.6"
		return v
	}
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, dir := range dirs {
		if has(dir) {
			return dir, nil
		}
	}
	return "", errors.New("initdb and postgres not found on PATH nor in /usr/lib/postgresql/*/bin")
}

// serverUsers are the users that run initdb and postgres for root, by preference.
var serverUsers = []string{"postgres", "nobody"}

// unprivilegedCredential returns nil when the test does not run as root, else
// the credential of the user postgres, or nobody (see Start).
func unprivilegedCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range serverUsers {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			continue
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root, and neither user postgres nor user nobody exists to run initdb/postgres")
}

// makeDir creates the cluster's directory (data directory and socket), owned
// by the user that runs the server and reachable by it.
func makeDir(cred *syscall.Credential) (string, error) {
	root := os.TempDir()
	if cred != nil && !traversable(root, cred) {
		root = "/tmp" // $TMPDIR is private to root
	}
	dir, err := os.MkdirTemp(root, "lockwise-pg-")
	if err != nil {
		return "", err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}

// traversable reports whether the user of cred may search every directory from / to dir.
func traversable(dir string, cred *syscall.Credential) bool {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for {
		var st syscall.Stat_t
		if err := syscall.Stat(dir, &st); err != nil {
			return false
		}
		bit := uint32(0o001)
		switch {
		case st.Uid == cred.Uid:
			bit = 0o100
		case st.Gid == cred.Gid:
			bit = 0o010
		}
		if st.Mode&bit == 0 {
			return false
		}
		if dir == "/" {
			return true
		}
		dir = filepath.Dir(dir)
	}
}

// postmaster is a running postgres process.
type postmaster struct {
	cmd     *exec.Cmd
	log     string
	done    chan struct{} // closed when the process has exited
	waitErr error
}

func startPostmaster(bin, dir, data string, cred *syscall.Credential) (*postmaster, error) {
	logPath := filepath.Join(dir, "postgres.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child keeps its own descriptor
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data,
		"-c", "listen_addresses=",
		"-c", "unix_socket_directories="+dir,
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		"-c", "autovacuum=off", // no background SHARE UPDATE EXCLUSIVE locks, no stray scans
		"-c", "TimeZone=UTC",
		"-c", "max_connections=30",
		"-c", "shared_buffers=32MB",
		"-c", "logging_collector=off",
	)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: cred,
		Setpgid:    true, // a ^C meant for go test does not reach postgres first
		// If the test binary dies without its cleanups (a panic, a -timeout
		// kill), the kernel sends SIGQUIT, postgres's immediate shutdown.
		Pdeathsig: syscall.SIGQUIT,
	}
	p := &postmaster{cmd: cmd, log: logPath, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		// Pdeathsig fires when the *thread* that forked the child exits: keep
		// this goroutine on its thread, waiting, for the life of the server.
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			runtime.UnlockOSThread()
			started <- err
			return
		}
		started <- nil
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("starting %s: %w", cmd.Path, err)
	}
	return p, nil
}

// stop shuts the server down at once (SIGQUIT, as pg_ctl stop -m immediate
// does) and waits for it; after 10 s it kills it.
func (p *postmaster) stop() error {
	select {
	case <-p.done:
		return fmt.Errorf("postgres had already exited: %v\n%s", p.waitErr, p.logTail())
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-p.done:
		return nil
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
		return errors.New("postgres ignored SIGQUIT for 10 s and was killed")
	}
}

func (p *postmaster) logTail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return "postgres log:\n" + string(b)
}

// connect waits for the server to accept connections, then opens the admin
// session and the probe pool.
func (s *Server) connect(ctx context.Context, dir string) error {
	cfg, err := pgx.ParseConfig(fmt.Sprintf("host=%s port=5432 user=postgres dbname=postgres sslmode=disable connect_timeout=5", dir))
	if err != nil {
		return err
	}
	// The simple protocol everywhere: no cached plans to go stale when the
	// fixture is rebuilt, and several statements may share one string.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	s.connCfg = cfg
	for {
		s.admin, err = pgx.ConnectConfig(ctx, cfg.Copy())
		if err == nil {
			break
		}
		select {
		case <-s.pm.done:
			return fmt.Errorf("postgres exited during start-up: %v", s.pm.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("postgres did not accept connections: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	var v string
	if err := s.admin.QueryRow(ctx, "SHOW server_version_num").Scan(&v); err != nil {
		return err
	}
	if s.version, err = strconv.Atoi(v); err != nil {
		return err
	}

	pcfg, err := pgxpool.ParseConfig("")
	if err != nil {
		return err
	}
	pcfg.ConnConfig = cfg.Copy()
	pcfg.ConnConfig.RuntimeParams["lock_timeout"] = strconv.Itoa(int(ProbeLockTimeout/time.Millisecond)) + "ms"
	pcfg.ConnConfig.RuntimeParams["statement_timeout"] = "10s" // a probe stuck on something else than a lock
	pcfg.ConnConfig.RuntimeParams["application_name"] = "pgtest probe"
	pcfg.MaxConns = 8
	s.probes, err = pgxpool.NewWithConfig(ctx, pcfg)
	return err
}

func (s *Server) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.probes != nil {
		s.probes.Close()
	}
	if s.admin != nil {
		s.admin.Close(context.Background())
	}
}

// Version returns the server's server_version_num, e.g. 150018 for 15.18.
func (s *Server) Version() int { return s.version }

// Exec runs sql (one or several statements, simple query protocol, committed)
// in the database, outside any observation: the next Observe rebuilds the
// fixture first and so undoes it. Prepare an observation with
// ObserveInput.Setup instead.
func (s *Server) Exec(ctx context.Context, sql string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dirty = true
	_, err := s.admin.Exec(ctx, sql)
	return err
}

// ResetFixture rebuilds Fixture: schema public dropped and created again with
// its tables, data, indexes, type and trigger. Observe calls it by itself
// before every observation but the first after a rebuild.
func (s *Server) ResetFixture(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resetFixture(ctx)
}

func (s *Server) resetFixture(ctx context.Context) error {
	s.dirty = true
	if _, err := s.admin.Exec(ctx, Fixture); err != nil {
		return err
	}
	// The index builds of the fixture count as scans of t: have them
	// counted now, not in the middle of the next observation's statistics.
	if _, err := s.admin.Exec(ctx, "SELECT pg_stat_force_next_flush()"); err != nil {
		return err
	}
	s.dirty = false
	return nil
}

// quoteIdent quotes a possibly schema-qualified name ("t", "s.t") for SQL.
func quoteIdent(name string) string {
	return pgx.Identifier(strings.Split(name, ".")).Sanitize()
}
