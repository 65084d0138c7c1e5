package pgsql

import (
	"strings"
	"testing"
)

// span is what a test expects of one statement: its text, found at Start.
type wantStmt struct {
	start int
	text  string
}

func TestParseOffsets(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want []wantStmt
	}{
		{"single without semicolon", "SELECT 1", []wantStmt{{0, "SELECT 1"}}},
		{"single with semicolon and space", "  SELECT 1;  \n", []wantStmt{{2, "SELECT 1"}}},
		{"two statements", "SELECT 1; SELECT 2", []wantStmt{{0, "SELECT 1"}, {10, "SELECT 2"}}},
		{
			"comments between statements are not part of them",
			"-- first\nSELECT 1; /* block */ -- line\n  SELECT 2 /* trailing */ ; -- end",
			[]wantStmt{{9, "SELECT 1"}, {41, "SELECT 2"}},
		},
		{"nested block comment", "/* a /* b */ c */ SELECT 1", []wantStmt{{18, "SELECT 1"}}},
		{
			"dollar-quoted body with semicolons is one statement",
			"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.x := 1; RETURN NEW; END$$;\nSELECT 1",
			[]wantStmt{
				{0, "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.x := 1; RETURN NEW; END$$"},
				{95, "SELECT 1"},
			},
		},
		{
			"tagged dollar quote and semicolon in a string",
			"DO $body$ BEGIN RAISE NOTICE ';'; END $body$; SELECT ';'",
			[]wantStmt{{0, "DO $body$ BEGIN RAISE NOTICE ';'; END $body$"}, {46, "SELECT ';'"}},
		},
		{
			"heredoc indentation as Ecto sends it",
			"\n    CREATE INDEX i ON t (a);\n    CREATE INDEX j ON t (b)\n    ",
			[]wantStmt{{5, "CREATE INDEX i ON t (a)"}, {34, "CREATE INDEX j ON t (b)"}},
		},
		{"multi-byte text before the statement", "-- é𐐀\nSELECT 'é'", []wantStmt{{10, "SELECT 'é'"}}},
		{"empty", "", nil},
		{"only comments", "-- nothing\n/* here */ ", nil},
		{"only semicolons", " ; ;", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.sql)
			if len(got) != len(tt.want) {
				t.Fatalf("Parse(%q) gave %d statements, want %d: %+v", tt.sql, len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				s := got[i]
				if s.Err != nil {
					t.Errorf("statement %d: unexpected error %v", i, s.Err)
				}
				if s.Start != w.start || s.Text != w.text || s.End != w.start+len(w.text) {
					t.Errorf("statement %d = [%d:%d] %q, want [%d:%d] %q", i, s.Start, s.End, s.Text, w.start, w.start+len(w.text), w.text)
				}
				if tt.sql[s.Start:s.End] != s.Text {
					t.Errorf("statement %d: Text %q is not sql[Start:End] %q", i, s.Text, tt.sql[s.Start:s.End])
				}
				if s.Desc == nil {
					t.Errorf("statement %d has no description", i)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name       string
		sql        string
		wantOffset int
		wantCode   string
		wantMsg    string
	}{
		{
			// Cursorpos counts code points: 'é' is 2 bytes, '𐐀' is 4.
			name:       "multi-byte text before the error",
			sql:        "SELECT 'é𐐀'; SELEC 1",
			wantOffset: 17,
			wantCode:   "42601",
			wantMsg:    `syntax error at or near "SELEC"`,
		},
		{
			name:       "error at the very end",
			sql:        "SELECT (1",
			wantOffset: 9,
			wantCode:   "42601",
			wantMsg:    "syntax error at end of input",
		},
		{
			// The grammar itself rejects it, so the server answers 0A000
			// before running anything (locks-pg15 add_exclusion_not_valid).
			name:       "EXCLUDE NOT VALID",
			sql:        "ALTER TABLE t ADD CONSTRAINT t_code_excl EXCLUDE USING btree (code WITH =) NOT VALID",
			wantOffset: 0,
			wantCode:   "0A000",
			wantMsg:    "EXCLUDE constraints cannot be marked NOT VALID",
		},
		{
			name:       "UNIQUE NOT VALID after leading space",
			sql:        "\n  ALTER TABLE t ADD CONSTRAINT t_code_key UNIQUE (code) NOT VALID",
			wantOffset: 3,
			wantCode:   "0A000",
			wantMsg:    "UNIQUE constraints cannot be marked NOT VALID",
		},
		{
			name:       "unterminated string",
			sql:        "SELECT 'abc",
			wantOffset: 7,
			wantCode:   "42601",
			wantMsg:    "unterminated quoted string at or near \"'abc\"",
		},
		{
			// PostgreSQL 17 syntax unknown to the PG 16 grammar of pg_query v5.
			name:       "newer syntax",
			sql:        "ALTER TABLE t ALTER COLUMN c SET EXPRESSION AS (1)",
			wantOffset: 33,
			wantCode:   "42601",
			wantMsg:    `syntax error at or near "EXPRESSION"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.sql)
			if len(got) != 1 {
				t.Fatalf("Parse(%q) gave %d statements, want 1 opaque one", tt.sql, len(got))
			}
			s := got[0]
			if s.Err == nil {
				t.Fatalf("Parse(%q) gave no error", tt.sql)
			}
			if s.Desc != nil {
				t.Errorf("opaque statement has a description %+v", s.Desc)
			}
			if s.Err.Offset != tt.wantOffset || s.Err.Code != tt.wantCode || s.Err.Message != tt.wantMsg {
				t.Errorf("error = {%q offset %d code %q}, want {%q offset %d code %q}",
					s.Err.Message, s.Err.Offset, s.Err.Code, tt.wantMsg, tt.wantOffset, tt.wantCode)
			}
			if s.Text != strings.TrimSpace(tt.sql) || tt.sql[s.Start:s.End] != s.Text {
				t.Errorf("opaque statement [%d:%d] %q does not cover the trimmed text", s.Start, s.End, s.Text)
			}
		})
	}
}

func TestParseNulByte(t *testing.T) {
	// The C parser would stop at the NUL; both statements must still be
	// seen, with offsets into the original text.
	got := Parse("SELECT 1\x00; SELECT 2")
	if len(got) != 2 || got[1].Text != "SELECT 2" || got[1].Start != 11 {
		t.Fatalf("got %+v", got)
	}
}

func TestParseDynamicAndLiterals(t *testing.T) {
	got := Parse("UPDATE " + PlaceholderPrefix + "1 SET m = 'happy'::mood, note = 'x'")
	if len(got) != 1 || got[0].Err != nil {
		t.Fatalf("got %+v", got)
	}
	s := got[0]
	if !s.Dynamic {
		t.Error("statement with a placeholder is not Dynamic")
	}
	if d := s.Desc.(*DML); !d.Table.Dynamic {
		t.Errorf("table %+v is not Dynamic", d.Table)
	}
	want := []Literal{{Value: "happy", Cast: TypeName{Name: "mood"}}, {Value: "x"}}
	if len(s.Literals) != len(want) {
		t.Fatalf("Literals = %+v, want %+v", s.Literals, want)
	}
	for i := range want {
		if s.Literals[i].Value != want[i].Value || !s.Literals[i].Cast.Equal(want[i].Cast) {
			t.Errorf("Literals[%d] = %+v, want %+v", i, s.Literals[i], want[i])
		}
	}
}
