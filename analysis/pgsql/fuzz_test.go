package pgsql

import (
	"regexp"
	"testing"
)

var plainMod = regexp.MustCompile(`^-?[a-z0-9_]+$`)

// FuzzParse checks that Parse never panics and that its offsets always
// address the input: go test -fuzz=FuzzParse ./analysis/pgsql
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"SELECT 1; SELECT 2",
		"-- c\nSELECT 'é𐐀'; /* x */ SELEC 1",
		"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;",
		`ALTER TABLE "t" ADD COLUMN "c" varchar(255) DEFAULT 'x' NOT NULL, ADD CONSTRAINT "f" FOREIGN KEY ("c") REFERENCES "p"("id") NOT VALID`,
		"ALTER TABLE t ADD CONSTRAINT e EXCLUDE USING btree (code WITH =) NOT VALID",
		"CREATE INDEX CONCURRENTLY i ON t USING gin (lower(a)) WHERE b",
		"SELECT create_hypertable('t', 'ts', migrate_data => true)",
		"UPDATE t SET m = 'happy'::mood WHERE id = 1",
		"DO $x$ BEGIN END $x$",
		"SELECT '\x00'",
		"\xff\xfe SELECT",
		"ALTER TABLE " + PlaceholderPrefix + "1 ALTER COLUMN c TYPE " + PlaceholderPrefix + "2 USING c::text",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		prevEnd := 0
		for i, s := range Parse(text) {
			if s.Start < prevEnd || s.Start > s.End || s.End > len(text) {
				t.Fatalf("statement %d has bounds [%d:%d] in a text of %d bytes (previous end %d)", i, s.Start, s.End, len(text), prevEnd)
			}
			if s.Text != text[s.Start:s.End] {
				t.Fatalf("statement %d: Text %q != text[%d:%d]", i, s.Text, s.Start, s.End)
			}
			if (s.Err == nil) == (s.Desc == nil) {
				t.Fatalf("statement %d: exactly one of Err and Desc must be set: %+v", i, s)
			}
			if s.Err != nil && (s.Err.Offset < 0 || s.Err.Offset > len(text)) {
				t.Fatalf("error offset %d outside a text of %d bytes", s.Err.Offset, len(text))
			}
			prevEnd = s.End
		}
	})
}

// FuzzNormalizeType checks that NormalizeType never panics and is
// idempotent on the types it accepts whose modifiers are plain numbers or
// names (any expression is allowed there, and pg_query's deparser does not
// round-trip all of them, e.g. huge $n parameters).
func FuzzNormalizeType(f *testing.F) {
	for _, seed := range []string{"varchar(255)", "numeric(12,2)[]", "timestamp(0) with time zone", "mood", "int); --", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, ok := ParseType(s)
		if !ok {
			return
		}
		for _, m := range typ.Mods {
			if !plainMod.MatchString(m) {
				return
			}
		}
		again, ok := ParseType(typ.String())
		if !ok || again.String() != typ.String() {
			t.Fatalf("NormalizeType(%q) = %q, which normalises to %q (ok %v)", s, typ.String(), again.String(), ok)
		}
	})
}
