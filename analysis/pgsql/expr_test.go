package pgsql

import (
	"reflect"
	"testing"
)

// defaultOf parses "ALTER TABLE t ALTER COLUMN c SET DEFAULT <expr>" and
// returns the default expression.
func defaultOf(t *testing.T, expr string) *Expr {
	t.Helper()
	stmts := Parse("ALTER TABLE t ALTER COLUMN c SET DEFAULT " + expr)
	if len(stmts) != 1 || stmts[0].Err != nil {
		t.Fatalf("%q does not parse: %+v", expr, stmts)
	}
	return stmts[0].Desc.(*AlterTable).Cmds[0].Default
}

func TestExprVolatility(t *testing.T) {
	tests := []struct {
		expr    string
		want    Volatility
		funcs   []string
		unknown []string
	}{
		{"0", VolatilityConstant, nil, nil},
		{"'x'", VolatilityConstant, nil, nil},
		{"'{}'::jsonb", VolatilityConstant, nil, nil},
		{"ARRAY[]::varchar[]", VolatilityConstant, nil, nil},
		{"true", VolatilityConstant, nil, nil},
		{"NULL", VolatilityConstant, nil, nil},
		{"1 + 2", VolatilityConstant, nil, nil},
		{"lower('A')", VolatilityConstant, []string{"lower"}, nil},
		{"now()", VolatilityStable, []string{"now"}, nil},
		{"CURRENT_TIMESTAMP", VolatilityStable, []string{"CURRENT_TIMESTAMP"}, nil},
		{"CURRENT_TIMESTAMP(3)", VolatilityStable, []string{"CURRENT_TIMESTAMP"}, nil},
		{"CURRENT_DATE", VolatilityStable, []string{"CURRENT_DATE"}, nil},
		{"now() + interval '1 day'", VolatilityStable, []string{"now"}, nil},
		{"random()", VolatilityVolatile, []string{"random"}, nil},
		{"gen_random_uuid()", VolatilityVolatile, []string{"gen_random_uuid"}, nil},
		{"uuid_generate_v4()", VolatilityVolatile, []string{"uuid_generate_v4"}, nil},
		{"public.uuid_generate_v4()", VolatilityVolatile, []string{"public.uuid_generate_v4"}, nil},
		{"clock_timestamp()", VolatilityVolatile, []string{"clock_timestamp"}, nil},
		{"timeofday()", VolatilityVolatile, []string{"timeofday"}, nil},
		{"nextval('t_id_seq'::regclass)", VolatilityVolatile, []string{"nextval"}, nil},
		{"my_fn()", VolatilityUnknown, []string{"my_fn"}, []string{"my_fn"}},
		// A known volatile call wins over an unknown one.
		{"my_fn(random())", VolatilityVolatile, []string{"my_fn", "random"}, []string{"my_fn"}},
	}
	for _, tt := range tests {
		e := defaultOf(t, tt.expr)
		if e.Volatility != tt.want || !reflect.DeepEqual(e.Functions, tt.funcs) || !reflect.DeepEqual(e.UnknownFunctions, tt.unknown) {
			t.Errorf("%s: volatility %v functions %v unknown %v, want %v %v %v",
				tt.expr, e.Volatility, e.Functions, e.UnknownFunctions, tt.want, tt.funcs, tt.unknown)
		}
	}
}

func TestExprText(t *testing.T) {
	tests := []struct{ expr, text string }{
		{"now()", "now()"},
		{"'x'", "'x'"},
		{"gen_random_uuid()", "gen_random_uuid()"},
		{"'{}'::jsonb", "'{}'::jsonb"},
		{"NULL", "NULL"},
	}
	for _, tt := range tests {
		if e := defaultOf(t, tt.expr); e.Text != tt.text {
			t.Errorf("%s: Text = %q, want %q", tt.expr, e.Text, tt.text)
		}
	}
	if e := defaultOf(t, "NULL"); !e.Null {
		t.Error("DEFAULT NULL is not Null")
	}
	if e := defaultOf(t, "0"); e.Null {
		t.Error("DEFAULT 0 is Null")
	}
	if e := defaultOf(t, "'"+PlaceholderPrefix+"1'"); !e.Dynamic {
		t.Error("placeholder default is not Dynamic")
	}
}
