package locks

import "testing"

func TestModeConflicts(t *testing.T) {
	// The documented conflict table, row by row ("X" = conflicts), in the
	// order AccessShare..AccessExclusive.
	table := map[Mode]string{
		AccessShare:          ".......X",
		RowShare:             "......XX",
		RowExclusive:         "....XXXX",
		ShareUpdateExclusive: "...XXXXX",
		Share:                "..XX.XXX",
		ShareRowExclusive:    "..XXXXXX",
		Exclusive:            ".XXXXXXX",
		AccessExclusive:      "XXXXXXXX",
	}
	for m, row := range table {
		for i, c := range row {
			o := Mode(i + 1)
			if got := m.Conflicts(o); got != (c == 'X') {
				t.Errorf("%v.Conflicts(%v) = %v", m, o, got)
			}
			if m.Conflicts(o) != o.Conflicts(m) {
				t.Errorf("conflict of %v and %v is not symmetric", m, o)
			}
		}
	}
	if None.Conflicts(AccessExclusive) || AccessExclusive.Conflicts(None) {
		t.Error("None conflicts with something")
	}
}

func TestModeBlocking(t *testing.T) {
	tests := []struct {
		m             Mode
		reads, writes bool
	}{
		{None, false, false},
		{AccessShare, false, false},
		{RowShare, false, false},
		{RowExclusive, false, false},
		{ShareUpdateExclusive, false, false},
		{Share, false, true},
		{ShareRowExclusive, false, true},
		{Exclusive, false, true},
		{AccessExclusive, true, true},
	}
	for _, tt := range tests {
		if tt.m.BlocksReads() != tt.reads || tt.m.BlocksWrites() != tt.writes {
			t.Errorf("%v blocks reads %v writes %v, want %v %v", tt.m, tt.m.BlocksReads(), tt.m.BlocksWrites(), tt.reads, tt.writes)
		}
	}
}

func TestParseMode(t *testing.T) {
	for m := None; m <= AccessExclusive; m++ {
		if got, ok := ParseMode(m.String()); !ok || got != m {
			t.Errorf("ParseMode(%q) = %v, %v", m.String(), got, ok)
		}
	}
	for s, want := range map[string]Mode{
		"AccessExclusiveLock":  AccessExclusive,
		"ShareUpdateExclusive": ShareUpdateExclusive,
		"share row exclusive":  ShareRowExclusive,
		"":                     None,
		" RowExclusiveLock ":   RowExclusive,
	} {
		if got, ok := ParseMode(s); !ok || got != want {
			t.Errorf("ParseMode(%q) = %v, %v, want %v", s, got, ok, want)
		}
	}
	if _, ok := ParseMode("SUPER EXCLUSIVE"); ok {
		t.Error("ParseMode accepted an unknown mode")
	}
}
