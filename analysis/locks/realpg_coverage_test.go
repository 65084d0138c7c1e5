package locks_test

import (
	"sort"
	"testing"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/locks"
	"github.com/lockwise/lockwise/analysis/pgsql"
	"github.com/lockwise/lockwise/grammar"
)

// TestRealPostgresCoversTheModel fails when a statement kind or an ALTER
// TABLE sub-command the lock model describes is not among the SQL that
// TestRealPostgres runs on the server: every claim must be checked there.
func TestRealPostgresCoversTheModel(t *testing.T) {
	kinds := map[pgsql.Kind]bool{}
	alters := map[pgsql.AlterKind]bool{}
	constraints := map[pgsql.ConstraintKind]bool{}
	see := func(sql string) {
		for _, st := range pgsql.Parse(sql) {
			if st.Desc == nil {
				continue
			}
			kinds[st.Desc.Kind()] = true
			if at, ok := st.Desc.(*pgsql.AlterTable); ok {
				for _, c := range at.Cmds {
					alters[c.Kind] = true
					if c.Constraint != nil {
						constraints[c.Constraint.Kind] = true
					}
				}
			}
			if ct, ok := st.Desc.(*pgsql.CreateTable); ok {
				for _, k := range ct.Constraints {
					constraints[k.Kind] = true
				}
			}
		}
	}
	for _, c := range locks.OracleCases {
		see(c.SQL)
	}
	for _, c := range moreStatements {
		see(c.sql)
	}
	for _, c := range ectoCases {
		src := "defmodule Shop.Repo.Migrations.X do\n  use Ecto.Migration\n  " + c.attrs + "\n\n  def change do\n    " + c.change + "\n  end\nend\n"
		m := analysis.Build("priv/repo/migrations/20240101000000_x.exs", grammar.Parse([]byte(src)), analysis.BuildOptions{})
		for _, p := range []analysis.Plan{m.Up, m.Down} {
			for _, op := range p.Ops {
				for _, q := range op.Queries {
					see(q.SQL)
				}
			}
		}
	}
	var missing []string
	for _, k := range modelKinds {
		if !kinds[k] {
			missing = append(missing, "statement "+string(k))
		}
	}
	for _, k := range modelAlterKinds {
		if !alters[k] {
			missing = append(missing, "ALTER TABLE "+string(k))
		}
	}
	for _, k := range []pgsql.ConstraintKind{pgsql.ConstraintCheck, pgsql.ConstraintUnique, pgsql.ConstraintPrimaryKey, pgsql.ConstraintExclude, pgsql.ConstraintForeignKey} {
		if !constraints[k] {
			missing = append(missing, "constraint "+string(k))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("not run on PostgreSQL by TestRealPostgres: %s", m)
	}
}

// modelKinds are the statement kinds the lock model describes (every
// kind but "other", which it reports as unknown).
var modelKinds = []pgsql.Kind{
	pgsql.KindCreateTable, pgsql.KindAlterTable, pgsql.KindDrop, pgsql.KindRename, pgsql.KindCreateIndex,
	pgsql.KindReindex, pgsql.KindAlterEnum, pgsql.KindCreateType, pgsql.KindCreateTrigger, pgsql.KindCreateFunction,
	pgsql.KindDo, pgsql.KindComment, pgsql.KindInsert, pgsql.KindUpdate, pgsql.KindDelete, pgsql.KindMerge,
	pgsql.KindSelect, pgsql.KindTruncate, pgsql.KindVacuum, pgsql.KindAnalyze, pgsql.KindCluster, pgsql.KindLockTable,
	pgsql.KindCreateView, pgsql.KindRefreshMatView, pgsql.KindCreateExtension, pgsql.KindCreateSequence,
	pgsql.KindGrant, pgsql.KindSet, pgsql.KindTransaction,
}

// modelAlterKinds are the ALTER TABLE sub-commands it describes.
var modelAlterKinds = []pgsql.AlterKind{
	pgsql.AlterAddColumn, pgsql.AlterDropColumn, pgsql.AlterColumnType, pgsql.AlterSetNotNull, pgsql.AlterDropNotNull,
	pgsql.AlterSetDefault, pgsql.AlterDropDefault, pgsql.AlterAddConstraint, pgsql.AlterValidateConstraint,
	pgsql.AlterDropConstraint, pgsql.AlterAlterConstraint, pgsql.AlterSetStatistics, pgsql.AlterSetStorage,
	pgsql.AlterSetCompression, pgsql.AlterSetColumnOptions, pgsql.AlterResetColumnOptions, pgsql.AlterSetOptions,
	pgsql.AlterResetOptions, pgsql.AlterSetLogged, pgsql.AlterSetUnlogged, pgsql.AlterReplicaIdentity,
	pgsql.AlterEnableTrigger, pgsql.AlterDisableTrigger, pgsql.AlterAttachPartition, pgsql.AlterDetachPartition,
	pgsql.AlterInherit, pgsql.AlterNoInherit, pgsql.AlterAddIdentity, pgsql.AlterSetIdentity, pgsql.AlterDropIdentity,
	pgsql.AlterDropExpression, pgsql.AlterSetTablespace, pgsql.AlterSetAccessMethod, pgsql.AlterOwner,
	pgsql.AlterClusterOn, pgsql.AlterSetWithoutCluster, pgsql.AlterRowSecurity, pgsql.AlterRule,
}
