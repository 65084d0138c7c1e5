package locks

import (
	"strings"
	"testing"
)

func TestIndexName(t *testing.T) {
	tests := []struct {
		table   string
		columns []string
		label   string
		want    string
	}{
		{"t", []string{"bi"}, "idx", "t_bi_idx"},
		{"t", []string{"c_new"}, "key", "t_c_new_key"},
		{"newt", nil, "pkey", "newt_pkey"},
		{"t", []string{"a", ""}, "idx", "t_a_expr_idx"},
		{"t", []string{"code"}, "excl", "t_code_excl"},
		// 63-byte limit: the longer part is shortened first.
		{strings.Repeat("a", 70), []string{"col"}, "idx", strings.Repeat("a", 55) + "_col_idx"},
		{"tbl", []string{strings.Repeat("c", 70)}, "key", "tbl_" + strings.Repeat("c", 55) + "_key"},
	}
	for _, tt := range tests {
		got := indexName(tt.table, tt.columns, tt.label)
		if got != tt.want {
			t.Errorf("indexName(%q, %q, %q) = %q, want %q", tt.table, tt.columns, tt.label, got, tt.want)
		}
		if len(got) > maxIdentLen {
			t.Errorf("indexName gave %d bytes", len(got))
		}
	}
	if got := objectName("t", "c_new", "seq"); got != "t_c_new_seq" {
		t.Errorf("sequence name = %q", got)
	}
}
