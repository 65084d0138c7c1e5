package rules

import "github.com/lockwise/lockwise/analysis"

// catalogOrder is the order of the rule catalog in DESIGN.md; rules not
// listed (extensions) come after, in the order of their groups.
var catalogOrder = []string{
	"index-not-concurrently", "drop-index-not-concurrently", "concurrently-in-transaction",
	"concurrently-with-migration-lock", "non-transactional-mixed-changes", "foreign-key-missing-not-valid",
	"check-constraint-missing-not-valid", "validate-in-same-transaction", "not-null-added",
	"not-null-without-default", "volatile-default", "default-rewrites-table", "column-type-changed",
	"modify-reissues-type", "unique-constraint-builds-index", "exclusion-constraint", "lock-timeout-missing",
	"column-removed", "table-dropped", "column-renamed", "table-renamed", "irreversible-change", "missing-down",
	"enum-value-in-transaction", "backfill-with-schema-change", "unbatched-backfill", "schema-module-in-migration",
	"foreign-key-without-index", "json-column", "float-for-money", "many-columns-index", "hypertable-migrate-data",
	"multi-statement-execute", "sql-not-analysed",
}

// All is the rule catalog, in the order of DESIGN.md.
var All = catalog(indexRules, columnRules, transactionRules)

func catalog(groups ...[]*analysis.Analyzer) []*analysis.Analyzer {
	byName := map[string]*analysis.Analyzer{}
	var rest []*analysis.Analyzer
	for _, g := range groups {
		for _, a := range g {
			byName[a.Name] = a
			rest = append(rest, a)
		}
	}
	var out []*analysis.Analyzer
	for _, id := range catalogOrder {
		if a := byName[id]; a != nil {
			out = append(out, a)
			delete(byName, id)
		}
	}
	for _, a := range rest {
		if byName[a.Name] != nil {
			out = append(out, a)
		}
	}
	return out
}

// ByName finds a rule by id.
func ByName(id string) *analysis.Analyzer {
	for _, a := range All {
		if a.Name == id {
			return a
		}
	}
	return nil
}
