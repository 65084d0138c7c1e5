package rules

import (
	"path/filepath"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/analysistest"
	"github.com/lockwise/lockwise/analysis/locks"
)

func TestNotNullAdded(t *testing.T)          { testRule(t, NotNullAdded) }
func TestNotNullWithoutDefault(t *testing.T) { testRule(t, NotNullWithoutDefault) }
func TestVolatileDefault(t *testing.T)       { testRule(t, VolatileDefault) }
func TestDefaultRewritesTable(t *testing.T)  { testRule(t, DefaultRewritesTable) }
func TestColumnTypeChanged(t *testing.T)     { testRule(t, ColumnTypeChanged) }
func TestModifyReissuesType(t *testing.T)    { testRule(t, ModifyReissuesType) }
func TestColumnRemoved(t *testing.T)         { testRule(t, ColumnRemoved) }
func TestTableDropped(t *testing.T)          { testRule(t, TableDropped) }
func TestColumnRenamed(t *testing.T)         { testRule(t, ColumnRenamed) }
func TestTableRenamed(t *testing.T)          { testRule(t, TableRenamed) }
func TestJSONColumn(t *testing.T)            { testRule(t, JSONColumn) }
func TestFloatForMoney(t *testing.T)         { testRule(t, FloatForMoney) }

// The rules that read the workspace model, run over testdata/<id>/schema
// with a workspace that knows the shop's tables and Ecto schemas.
func TestColumnRulesWithSchema(t *testing.T) {
	for _, a := range []*analysis.Analyzer{NotNullAdded, ColumnTypeChanged, ModifyReissuesType, ColumnRemoved, TableDropped, ColumnRenamed, TableRenamed} {
		t.Run(a.Name, func(t *testing.T) {
			dir := filepath.Join("testdata", a.Name, "schema")
			opts := analysistest.Options{Schema: shopSchema()}
			analysistest.Run(t, dir, a, opts)
			analysistest.RunWithSuggestedFixes(t, dir, a, opts)
		})
	}
}

// workspace is an analysis.Schema held in memory, as the workspace model
// would answer for a small shop app.
type workspace struct {
	locks.MemSchema
	fields  map[string][]analysis.Related // "table.column"
	schemas map[string][]analysis.Related // table
}

func (w *workspace) SchemaFields(table, column string) []analysis.Related {
	return w.fields[table+"."+column]
}

func (w *workspace) Schemas(table string) []analysis.Related { return w.schemas[table] }

func (w *workspace) TableCreatedIn(table string) (string, int, int, bool) { return "", 0, 0, false }

func shopSchema() *workspace {
	w := &workspace{fields: map[string][]analysis.Related{}, schemas: map[string][]analysis.Related{}}
	w.AddColumn("", "users", "email", "varchar(255)")
	w.AddColumn("", "users", "name", "varchar(100)")
	w.AddColumn("", "users", "age", "integer")
	w.AddColumn("", "users", "bio", "text")
	w.AddColumn("", "users", "nickname", "varchar(255)")
	w.AddColumn("", "users", "confirmed_at", "timestamp(0)")
	w.AddColumn("", "users", "login_count", "integer")
	w.AddIndex("", "users", "users_email_index", "email")
	w.AddIndex("", "users", "users_confirmed_at_index", "confirmed_at")
	w.AddValidatedNotNullCheck("", "users", "login_count")
	user := analysis.Related{Path: "lib/shop/accounts/user.ex", Start: 120, End: 140, Message: "Shop.Accounts.User"}
	w.fields["users.email"] = []analysis.Related{user}
	w.fields["users.name"] = []analysis.Related{user}
	w.schemas["users"] = []analysis.Related{user}
	w.schemas["orders"] = []analysis.Related{{Path: "lib/shop/orders/order.ex", Start: 80, End: 95, Message: "Shop.Orders.Order"}}
	return w
}
