package locks

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// oracleCase is one statement measured on PostgreSQL 15.18 in
// reference/locks-pg15.tsv, with what the model answers for it. ID is the
// tsv id; Setup, Session, SQL and InTx are the tsv's, so that the same
// table can be run against a real server (analysis/internal/pgtest).
type oracleCase struct {
	ID string
	// Setup statements ran, each committed, on the fixture before SQL.
	Setup []string
	// Session settings in force (SET TimeZone = ...).
	Session []string
	// SQL is the statement measured; when it holds several statements, Want
	// is about the last one.
	SQL string
	// InTx is true when SQL ran inside a transaction block (tsv mode
	// "tx"), false when it ran in autocommit ("conc").
	InTx bool
	// Known adds to the fixture schema what Setup makes true, for the model.
	Known func(*MemSchema)
	// Hints are the hints the Ecto command behind SQL would give.
	Hints Hints
	Want  want
}

// want is the model's answer. It matches the measurement except where
// Note says otherwise.
type want struct {
	// Mode is the lock on t in PostgreSQL's words, "" for none.
	Mode string
	// Locks are the other locks the model reports: "parent=SHARE ROW
	// EXCLUSIVE", "t_bi_idx(new)=ACCESS EXCLUSIVE" (created by SQL),
	// "t:all-indexes=ACCESS EXCLUSIVE" (every index of t), "type
	// mood=EXCLUSIVE", "schema public=ACCESS SHARE". Renamed relations go
	// by their old name.
	Locks []string
	// CatalogLocks are measured locks the model does not report because
	// they depend on catalog contents the SQL does not show (owned
	// sequences, foreign keys of a dropped column, dependent tables).
	// Locks + CatalogLocks is what the server showed.
	CatalogLocks []string

	Rewrites, Scans, BlocksReads, BlocksWrites bool
	MayRewrite, MayScan                        bool
	// Fails is the SQLSTATE of the failure; FailsIf marks a conditional one.
	Fails   string
	FailsIf bool
	// Class is the classification: "safe", "risky" or "dangerous".
	Class string
	// Note explains where the model's answer differs from the measurement.
	Note string
}

// fixtureSchema is what the model is told of the tsv fixture
// (locks-pg15.meta.txt): column types and indexes of t.
func fixtureSchema() *MemSchema {
	m := &MemSchema{}
	for _, c := range [][2]string{
		{"id", "bigint"}, {"parent_id", "bigint"}, {"i", "integer"}, {"bi", "bigint"},
		{"v50", "varchar(50)"}, {"v100", "varchar(100)"}, {"v255", "varchar(255)"}, {"txt", "text"},
		{"ts", "timestamp"}, {"tstz", "timestamptz"}, {"num", "numeric(10,2)"}, {"nn", "integer"},
		{"code", "text"}, {"m", "mood"}, {"data", "jsonb"}, {"flag", "boolean"},
	} {
		m.AddColumn("", "t", c[0], c[1])
	}
	for _, ix := range [][2]string{
		{"t_pkey", "id"}, {"t_i_idx", "i"}, {"t_v50_idx", "v50"}, {"t_v100_idx", "v100"}, {"t_txt_idx", "txt"},
		{"t_ts_idx", "ts"}, {"t_num_idx", "num"}, {"t_parent_id_idx", "parent_id"},
	} {
		m.AddIndex("", "t", ix[0], ix[1])
	}
	m.AddColumn("", "parent", "id", "bigint")
	m.AddColumn("", "parent", "name", "text")
	m.AddIndex("", "parent", "parent_pkey", "id")
	return m
}

// lockStrings renders the locks other than the one on table t.
func lockStrings(locks []Lock) []string {
	var out []string
	for _, l := range locks {
		if l.Relation == "t" && l.Kind == KindTable {
			continue
		}
		name := l.Relation
		switch l.Kind {
		case KindAllIndexes:
			name += ":all-indexes"
		case KindType, KindSchema:
			name = string(l.Kind) + " " + name
		}
		if l.Created {
			name += "(new)"
		}
		out = append(out, name+"="+l.Mode.String())
	}
	slices.Sort(out)
	return out
}

func runOracleCase(c oracleCase) Facts {
	schema := fixtureSchema()
	if c.Known != nil {
		c.Known(schema)
	}
	utc := true // the oracle server runs with TimeZone = UTC
	for _, s := range c.Session {
		if strings.Contains(s, "TimeZone") && !strings.Contains(s, "'UTC'") {
			utc = false
		}
	}
	s := NewSession(Context{InTransaction: c.InTx, PGVersion: 15, AssumeUTC: utc, Schema: schema})
	var f Facts
	for _, stmt := range pgsql.Parse(c.SQL) {
		f = s.Apply(stmt, c.Hints)
	}
	return f
}

func TestOracleCases(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range oracleCases {
		if seen[c.ID] {
			t.Errorf("case %s listed twice", c.ID)
		}
		seen[c.ID] = true
		t.Run(c.ID, func(t *testing.T) {
			f := runOracleCase(c)
			w := c.Want
			var diffs []string
			check := func(what string, got, want any) {
				if fmt.Sprint(got) != fmt.Sprint(want) {
					diffs = append(diffs, fmt.Sprintf("%s = %v, want %v", what, got, want))
				}
			}
			mode := f.Lock("t").String()
			if mode == "none" {
				mode = ""
			}
			check("lock on t", mode, w.Mode)
			wantLocks := slices.Clone(w.Locks)
			slices.Sort(wantLocks)
			check("other locks", lockStrings(f.Locks), wantLocks)
			check("Rewrites", f.Rewrites, w.Rewrites)
			check("Scans", f.Scans, w.Scans)
			check("MayRewrite", f.MayRewrite, w.MayRewrite)
			check("MayScan", f.MayScan, w.MayScan)
			check("BlocksReads", f.BlocksReads, w.BlocksReads)
			check("BlocksWrites", f.BlocksWrites, w.BlocksWrites)
			code, conditional := "", false
			if f.Fails != nil {
				code, conditional = f.Fails.Code, f.Fails.Condition != ""
			}
			check("Fails", code, w.Fails)
			check("conditional failure", conditional, w.FailsIf)
			check("classification", Classify(f), w.Class)
			if f.Unknown {
				diffs = append(diffs, "Unknown is set: "+strings.Join(f.Notes, " | "))
			}
			if f.Explanation == "" {
				diffs = append(diffs, "no explanation")
			}
			if len(diffs) > 0 {
				t.Errorf("%s\n  %s\n  explanation: %s\n  notes: %s", c.SQL, strings.Join(diffs, "\n  "), f.Explanation, strings.Join(f.Notes, " | "))
			}
		})
	}
}
