package locks

import "strings"

// Mode is a PostgreSQL table-level lock mode, ordered from the weakest to
// the strongest as in PostgreSQL's lockdefs.h. None is the zero value.
type Mode int

// The table-level lock modes.
const (
	None Mode = iota
	AccessShare
	RowShare
	RowExclusive
	ShareUpdateExclusive
	Share
	ShareRowExclusive
	Exclusive
	AccessExclusive
)

var modeNames = [...]string{
	None:                 "none",
	AccessShare:          "ACCESS SHARE",
	RowShare:             "ROW SHARE",
	RowExclusive:         "ROW EXCLUSIVE",
	ShareUpdateExclusive: "SHARE UPDATE EXCLUSIVE",
	Share:                "SHARE",
	ShareRowExclusive:    "SHARE ROW EXCLUSIVE",
	Exclusive:            "EXCLUSIVE",
	AccessExclusive:      "ACCESS EXCLUSIVE",
}

// conflicts is PostgreSQL's lock conflict table (lock.c
// LockConflicts), one bit per mode.
var conflicts = [...]uint16{
	None:                 0,
	AccessShare:          bits(AccessExclusive),
	RowShare:             bits(Exclusive, AccessExclusive),
	RowExclusive:         bits(Share, ShareRowExclusive, Exclusive, AccessExclusive),
	ShareUpdateExclusive: bits(ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive),
	Share:                bits(RowExclusive, ShareUpdateExclusive, ShareRowExclusive, Exclusive, AccessExclusive),
	ShareRowExclusive:    bits(RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive),
	Exclusive:            bits(RowShare, RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive),
	AccessExclusive:      bits(AccessShare, RowShare, RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive),
}

func bits(modes ...Mode) uint16 {
	var b uint16
	for _, m := range modes {
		b |= 1 << m
	}
	return b
}

// String returns the mode in PostgreSQL's words ("ACCESS EXCLUSIVE"), or
// "none".
func (m Mode) String() string {
	if m < 0 || int(m) >= len(modeNames) {
		return "none"
	}
	return modeNames[m]
}

// MarshalText renders the mode as String does, for JSON output.
func (m Mode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// Conflicts reports whether a lock in mode m and one in mode o cannot be
// held at the same time by two transactions.
func (m Mode) Conflicts(o Mode) bool {
	if m <= None || o <= None || int(m) >= len(conflicts) || int(o) >= len(conflicts) {
		return false
	}
	return conflicts[m]&(1<<o) != 0
}

// BlocksReads reports whether m makes plain SELECTs (ACCESS SHARE) wait.
func (m Mode) BlocksReads() bool { return m.Conflicts(AccessShare) }

// BlocksWrites reports whether m makes INSERT/UPDATE/DELETE (ROW
// EXCLUSIVE) wait.
func (m Mode) BlocksWrites() bool { return m.Conflicts(RowExclusive) }

// ParseMode reads a mode written in PostgreSQL's words ("SHARE ROW
// EXCLUSIVE"), as pg_locks spells it ("ShareRowExclusiveLock"), or
// without the Lock suffix. "none" and "" give None.
func ParseMode(s string) (Mode, bool) {
	key := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	key = strings.TrimSuffix(key, "lock")
	if key == "" || key == "none" {
		return None, true
	}
	for m := AccessShare; m <= AccessExclusive; m++ {
		if key == strings.ToLower(strings.ReplaceAll(modeNames[m], " ", "")) {
			return m, true
		}
	}
	return None, false
}
