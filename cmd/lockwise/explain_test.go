package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// fkMigration adds a validated foreign key to an existing table, builds an
// index without CONCURRENTLY, then one concurrently inside the transaction
// (which fails).
const fkMigration = `defmodule App.Repo.Migrations.AddCouponFk do
  use Ecto.Migration

  def change do
    create table(:coupons) do
      add :code, :string
    end

    alter table(:orders) do
      add :coupon_id, references(:coupons)
    end

    create index(:orders, [:status])
    create index(:orders, [:coupon_id], concurrently: true)
  end
end
`

const upOnly = `defmodule App.Repo.Migrations.Backfill do
  use Ecto.Migration

  def up do
    execute "UPDATE orders SET status = 'done'"
  end
end
`

func TestExplainJSON(t *testing.T) {
	root := mixProject(t, map[string]string{"priv/repo/migrations/20240101000000_add_coupon_fk.exs": fkMigration})
	t.Chdir(root)
	out, errs, code := runCLI(t, "explain", "--format", "json", "priv/repo/migrations/20240101000000_add_coupon_fk.exs")
	if code != 0 || errs != "" {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, k := range []string{"path", "module", "transaction", "migration_lock", "classification", "operations"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("missing %q", k)
		}
	}
	var rep explainJSON
	json.Unmarshal([]byte(out), &rep)
	if rep.Module != "App.Repo.Migrations.AddCouponFk" || !rep.Transaction || !rep.MigrationLock || rep.Classification != "dangerous" {
		t.Errorf("header: %+v", rep)
	}
	if len(rep.Operations) != 4 {
		t.Fatalf("operations: %+v", rep.Operations)
	}
	create, alter, plain, index := rep.Operations[0], rep.Operations[1], rep.Operations[2], rep.Operations[3]
	if create.Kind != "create_table" || create.Line != 5 || create.EndLine != 7 || *create.Table != "coupons" || create.Classification != "safe" {
		t.Errorf("create: %+v", create)
	}
	if alter.Kind != "alter_table" || *alter.Lock != "ACCESS EXCLUSIVE" || !alter.BlocksReads || !alter.BlocksWrites || !alter.Scans || alter.Rewrites ||
		alter.Classification != "risky" || len(alter.SQL) != 1 || !strings.HasPrefix(alter.SQL[0], `ALTER TABLE "orders" ADD COLUMN "coupon_id" bigint`) {
		t.Errorf("alter: %+v", alter)
	}
	if !hasLock(alter.Locks, "orders", "ACCESS EXCLUSIVE") || !hasLock(alter.Locks, "coupons", "SHARE ROW EXCLUSIVE") {
		t.Errorf("alter locks: %+v", alter.Locks)
	}
	if !hasRule(plain.Rules, "index-not-concurrently") || *plain.Lock != "SHARE" || !plain.BlocksWrites || plain.Line != 13 {
		t.Errorf("the rule fires on the index: %+v", plain)
	}
	if index.Fails == nil || !strings.Contains(*index.Fails, "25001") || index.Classification != "dangerous" {
		t.Errorf("index: %+v", index)
	}
	var lockField map[string]json.RawMessage
	ops := []map[string]json.RawMessage{}
	json.Unmarshal(raw["operations"], &ops)
	lockField = ops[0]
	if string(lockField["fails"]) != "null" {
		t.Errorf("fails is null when nothing fails: %s", lockField["fails"])
	}
	if rep.Rollback.Source != "change" || rep.Rollback.Irreversible != nil || len(rep.Rollback.SQL) != 4 || !strings.HasPrefix(rep.Rollback.SQL[3], `DROP TABLE "coupons"`) {
		t.Errorf("rollback: %+v", rep.Rollback)
	}
}

func hasLock(ls []lockJSON, rel, mode string) bool {
	for _, l := range ls {
		if l.Relation == rel && l.Lock == mode {
			return true
		}
	}
	return false
}

func hasRule(rs []explainRuleJSON, id string) bool {
	for _, r := range rs {
		if r.Rule == id {
			return true
		}
	}
	return false
}

func TestExplainMarkdown(t *testing.T) {
	root := mixProject(t, map[string]string{
		"priv/repo/migrations/20240101000000_add_coupon_fk.exs": fkMigration,
		"priv/repo/migrations/20240101000001_backfill.exs":      upOnly,
	})
	t.Chdir(root)
	out, errs, code := runCLI(t, "explain", "priv/repo/migrations/20240101000000_add_coupon_fk.exs", "priv/repo/migrations/20240101000001_backfill.exs")
	if code != 0 || errs != "" {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
	for _, want := range []string{
		"# Migration Report: App.Repo.Migrations.AddCouponFk\n",
		"- Classification: **dangerous**\n",
		"### 2. `alter_table` on `orders` (lines 9-11): risky\n",
		"```sql\nALTER TABLE \"orders\" ADD COLUMN \"coupon_id\" bigint",
		"- Lock: ACCESS EXCLUSIVE on table `orders`: blocks reads and writes\n",
		"- Scans the table: yes. Rewrites the table: no.\n",
		"- **Fails**: ERROR 25001",
		"**warning** [`index-not-concurrently`](",
		"## Proposed steps (expand-contract)\n",
		"## Rollback (`change/0` reversed by Ecto)\n",
		"# Migration Report: App.Repo.Migrations.Backfill\n",
		"**Irreversible**: ", // up/0 without down/0
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

func TestExplainErrors(t *testing.T) {
	root := mixProject(t, map[string]string{"lib/a.ex": "defmodule A do\nend\n", "priv/repo/migrations/1_x.exs": upOnly})
	t.Chdir(root)
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"lib/a.ex"}, 2, "not an Ecto migration"},
		{[]string{"missing.exs"}, 2, "missing.exs"},
		{[]string{}, 2, "Usage"},
		{[]string{"--format", "html", "priv/repo/migrations/1_x.exs"}, 2, "--format must be"},
		{[]string{"priv/repo/migrations/1_x.exs"}, 0, ""},
		{[]string{"priv"}, 0, ""}, // a directory is searched
	}
	for _, c := range cases {
		_, errs, code := runCLI(t, append([]string{"explain"}, c.args...)...)
		if code != c.code || c.err != "" && !strings.Contains(errs, c.err) || c.err == "" && errs != "" {
			t.Errorf("%v: code %d (want %d), stderr %q", c.args, code, c.code, errs)
		}
	}
	// JSON: one file is an object, several an array.
	out, _, _ := runCLI(t, "explain", "--format", "json", "priv")
	if !strings.HasPrefix(out, "[") {
		t.Errorf("a directory gives an array: %.40s", out)
	}
}
