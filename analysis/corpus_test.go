//go:build corpus

package analysis

import (
	"bufio"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lockwise/lockwise/grammar"
)

// TestCorpus builds the model of every file listed in $LOCKWISE_CORPUS (one
// path per line) and reports how much of it was lowered statically.
//
//	LOCKWISE_CORPUS=/work/corpus/ALL_MIGRATIONS.txt go test -tags corpus -run TestCorpus -v ./analysis
func TestCorpus(t *testing.T) {
	paths := corpusPaths(t)
	reasons := map[string]int{}
	examples := map[string]string{}
	norm := regexp.MustCompile(`line \d+|#\{[^}]*\}|"[^"]*"|\S+ is not known statically`)
	files, static, notMigration, irreversible, slowest := 0, 0, 0, 0, time.Duration(0)
	slowPath := ""
	ops, dynOps := 0, 0
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		start := time.Now()
		m := Build(p, grammar.Parse(src), BuildOptions{})
		if d := time.Since(start); d > slowest {
			slowest, slowPath = d, p
		}
		files++
		if m.Module == "" {
			notMigration++
			continue
		}
		if m.Down.Irreversible != nil {
			irreversible++
		}
		ok := true
		for _, plan := range []Plan{m.Up, m.Down} {
			for _, op := range plan.Ops {
				ops++
				if !op.Dynamic {
					continue
				}
				dynOps++
				ok = false
				for _, r := range op.Reasons {
					if strings.HasPrefix(r, "repeated") || strings.HasPrefix(r, "inside") {
						continue
					}
					k := norm.ReplaceAllStringFunc(r, func(s string) string {
						if strings.HasSuffix(s, "is not known statically") {
							return "X is not known statically"
						}
						return "_"
					})
					k = op.Kind.String() + ": " + k
					reasons[k]++
					if examples[k] == "" {
						examples[k] = p + ":" + itoa(m.Lines.Line(op.Start)+1)
					}
				}
			}
		}
		if ok {
			static++
		}
	}
	t.Logf("files %d, not migrations %d, every op static in both directions: %d (%.1f%%), ops %d, dynamic ops %d, irreversible down %d",
		files, notMigration, static, 100*float64(static)/float64(files-notMigration), ops, dynOps, irreversible)
	t.Logf("slowest file: %s (%s)", slowPath, slowest)
	type kv struct {
		k string
		n int
	}
	var kvs []kv
	for k, n := range reasons {
		kvs = append(kvs, kv{k, n})
	}
	sort.Slice(kvs, func(i, j int) bool { return kvs[i].n > kvs[j].n })
	for i, e := range kvs {
		if i >= 40 {
			break
		}
		t.Logf("%5d  %s   e.g. %s", e.n, e.k, strings.TrimPrefix(examples[e.k], "/work/corpus/"))
	}
}

func itoa(i int) string { return fmtInt(i) }
func itoaOld(i int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+i%10)))[0:0] + func() string { return fmtInt(i) }()
}

func fmtInt(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for i > 0 {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
	}
	return string(b)
}

// corpusPaths reads the migration paths listed in $LOCKWISE_CORPUS (one per
// line), or skips the test when it is not set.
func corpusPaths(t *testing.T) []string {
	t.Helper()
	list := os.Getenv("LOCKWISE_CORPUS")
	if list == "" {
		t.Skip("set LOCKWISE_CORPUS to a file listing migration paths")
	}
	f, err := os.Open(list)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var paths []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if p := strings.TrimSpace(sc.Text()); p != "" {
			paths = append(paths, p)
		}
	}
	return paths
}
