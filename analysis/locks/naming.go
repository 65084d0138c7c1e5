package locks

import (
	"strings"

	"github.com/lockwise/lockwise/analysis/pgsql"
)

// maxIdentLen is NAMEDATALEN - 1: PostgreSQL truncates longer names.
const maxIdentLen = 63

// objectName builds the name PostgreSQL gives an object it names itself
// (makeObjectName in indexcmds.c): name1_name2_label, shortening the
// longer of name1 and name2 until the result fits in 63 bytes. It does not
// add the numeric suffix PostgreSQL appends when the name is taken.
func objectName(name1, name2, label string) string {
	overhead := len(label) + 1
	if name2 != "" {
		overhead++
	}
	n1, n2 := len(name1), len(name2)
	for n1+n2 > maxIdentLen-overhead {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	parts := []string{clipUTF8(name1, n1)}
	if name2 != "" {
		parts = append(parts, clipUTF8(name2, n2))
	}
	return strings.Join(append(parts, label), "_")
}

// clipUTF8 cuts s to at most n bytes without splitting a character.
func clipUTF8(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// indexName is the name PostgreSQL picks for an index of table on columns
// (ChooseIndexName): "t_a_b_idx", "t_a_key" for a unique constraint,
// "t_pkey" for a primary key, "t_a_excl" for an exclusion constraint;
// expression columns count as "expr".
func indexName(table string, columns []string, label string) string {
	if label == "pkey" {
		return objectName(table, "", "pkey")
	}
	cols := make([]string, len(columns))
	for i, c := range columns {
		if c == "" {
			c = "expr"
		}
		cols[i] = c
	}
	return objectName(table, strings.Join(cols, "_"), label)
}

// constraintIndexName is the name of the index a UNIQUE, PRIMARY KEY or
// EXCLUDE constraint builds: the constraint's name, else PostgreSQL's
// default for its columns.
func constraintIndexName(table string, k *pgsql.Constraint) string {
	if k.Name != "" {
		return k.Name
	}
	label := map[pgsql.ConstraintKind]string{
		pgsql.ConstraintUnique:     "key",
		pgsql.ConstraintPrimaryKey: "pkey",
		pgsql.ConstraintExclude:    "excl",
	}[k.Kind]
	return indexName(table, k.Columns, label)
}
