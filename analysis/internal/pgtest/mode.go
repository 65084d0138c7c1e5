package pgtest

import (
	"fmt"
	"strings"
)

// Mode is a PostgreSQL table-level lock mode. The values are ordered as in
// PostgreSQL's lockdefs.h, from the weakest (ACCESS SHARE) to the strongest
// (ACCESS EXCLUSIVE); NoLock is the zero value.
type Mode int

// The eight table-level lock modes.
const (
	NoLock Mode = iota
	AccessShare
	RowShare
	RowExclusive
	ShareUpdateExclusive
	Share
	ShareRowExclusive
	Exclusive
	AccessExclusive
)

var modeNames = [...]struct{ words, pg string }{
	NoLock:               {"none", ""},
	AccessShare:          {"ACCESS SHARE", "AccessShareLock"},
	RowShare:             {"ROW SHARE", "RowShareLock"},
	RowExclusive:         {"ROW EXCLUSIVE", "RowExclusiveLock"},
	ShareUpdateExclusive: {"SHARE UPDATE EXCLUSIVE", "ShareUpdateExclusiveLock"},
	Share:                {"SHARE", "ShareLock"},
	ShareRowExclusive:    {"SHARE ROW EXCLUSIVE", "ShareRowExclusiveLock"},
	Exclusive:            {"EXCLUSIVE", "ExclusiveLock"},
	AccessExclusive:      {"ACCESS EXCLUSIVE", "AccessExclusiveLock"},
}

// String returns the mode in PostgreSQL's own words, as LOCK TABLE and the
// documentation spell it ("ACCESS EXCLUSIVE"), or "none" for NoLock.
func (m Mode) String() string {
	if m < 0 || int(m) >= len(modeNames) {
		return fmt.Sprintf("Mode(%d)", int(m))
	}
	return modeNames[m].words
}

// PGName returns the mode as pg_locks.mode and locks-pg15.tsv spell it
// ("AccessExclusiveLock"), or "" for NoLock.
func (m Mode) PGName() string {
	if m < 0 || int(m) >= len(modeNames) {
		return ""
	}
	return modeNames[m].pg
}

// ParseMode reads a mode written as pg_locks does ("ShareLock"), without the
// Lock suffix ("Share"), or in upper-case words ("SHARE ROW EXCLUSIVE").
// "none" and the empty string give NoLock.
func ParseMode(s string) (Mode, error) {
	key := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	key = strings.TrimSuffix(key, "lock")
	if key == "" || key == "none" {
		return NoLock, nil
	}
	for m := AccessShare; m <= AccessExclusive; m++ {
		if key == strings.ToLower(strings.ReplaceAll(modeNames[m].words, " ", "")) {
			return m, nil
		}
	}
	return NoLock, fmt.Errorf("pgtest: unknown lock mode %q", s)
}
