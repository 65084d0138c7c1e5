package locks

// Classification is the verdict shown in hovers and reports (DESIGN.md,
// "Classification").
type Classification int

const (
	// Safe: catalog-only change, lock held for an instant, no scan, no
	// rewrite, nothing breaks.
	Safe Classification = iota
	// Risky: holds a lock that blocks reads or writes for time proportional
	// to the table size (scan, index build, rewrite), but loses nothing.
	Risky
	// Dangerous: fails at runtime, loses data, or breaks application code
	// that is already running.
	Dangerous
	// Unknown: the statement could not be analysed (unparsable, built at
	// run time, not modelled) and nothing known makes it risky or
	// dangerous.
	Unknown
)

func (c Classification) String() string {
	switch c {
	case Safe:
		return "safe"
	case Risky:
		return "risky"
	case Dangerous:
		return "dangerous"
	}
	return "unknown"
}

// MarshalText renders the classification as String does, for JSON output.
func (c Classification) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Classify derives the classification of a statement from its facts. A
// conditional failure counts as dangerous: "fails on any non-empty table"
// is the typical one.
func Classify(f Facts) Classification {
	switch {
	case f.Fails != nil, f.LosesData, f.BreaksApp:
		return Dangerous
	case (f.Scans || f.MayScan || f.MayRewrite) && (f.BlocksReads || f.BlocksWrites):
		return Risky
	case f.Unknown:
		return Unknown
	}
	return Safe
}
