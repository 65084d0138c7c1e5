package pgsql

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// alterKinds maps pg_query's sub-command types to lockwise's kinds. SET
// DEFAULT and DROP DEFAULT share one pg_query type and are split in
// alterCmdOf; unlisted types become AlterOther.
var alterKinds = map[pg.AlterTableType]AlterKind{
	pg.AlterTableType_AT_AddColumn:               AlterAddColumn,
	pg.AlterTableType_AT_AddColumnToView:         AlterAddColumn,
	pg.AlterTableType_AT_DropColumn:              AlterDropColumn,
	pg.AlterTableType_AT_AlterColumnType:         AlterColumnType,
	pg.AlterTableType_AT_SetNotNull:              AlterSetNotNull,
	pg.AlterTableType_AT_DropNotNull:             AlterDropNotNull,
	pg.AlterTableType_AT_AddConstraint:           AlterAddConstraint,
	pg.AlterTableType_AT_ValidateConstraint:      AlterValidateConstraint,
	pg.AlterTableType_AT_DropConstraint:          AlterDropConstraint,
	pg.AlterTableType_AT_AlterConstraint:         AlterAlterConstraint,
	pg.AlterTableType_AT_SetStatistics:           AlterSetStatistics,
	pg.AlterTableType_AT_SetStorage:              AlterSetStorage,
	pg.AlterTableType_AT_SetCompression:          AlterSetCompression,
	pg.AlterTableType_AT_SetOptions:              AlterSetColumnOptions,
	pg.AlterTableType_AT_ResetOptions:            AlterResetColumnOptions,
	pg.AlterTableType_AT_SetRelOptions:           AlterSetOptions,
	pg.AlterTableType_AT_ReplaceRelOptions:       AlterSetOptions,
	pg.AlterTableType_AT_ResetRelOptions:         AlterResetOptions,
	pg.AlterTableType_AT_SetLogged:               AlterSetLogged,
	pg.AlterTableType_AT_SetUnLogged:             AlterSetUnlogged,
	pg.AlterTableType_AT_ReplicaIdentity:         AlterReplicaIdentity,
	pg.AlterTableType_AT_EnableTrig:              AlterEnableTrigger,
	pg.AlterTableType_AT_EnableAlwaysTrig:        AlterEnableTrigger,
	pg.AlterTableType_AT_EnableReplicaTrig:       AlterEnableTrigger,
	pg.AlterTableType_AT_EnableTrigAll:           AlterEnableTrigger,
	pg.AlterTableType_AT_EnableTrigUser:          AlterEnableTrigger,
	pg.AlterTableType_AT_DisableTrig:             AlterDisableTrigger,
	pg.AlterTableType_AT_DisableTrigAll:          AlterDisableTrigger,
	pg.AlterTableType_AT_DisableTrigUser:         AlterDisableTrigger,
	pg.AlterTableType_AT_AttachPartition:         AlterAttachPartition,
	pg.AlterTableType_AT_DetachPartition:         AlterDetachPartition,
	pg.AlterTableType_AT_DetachPartitionFinalize: AlterDetachPartition,
	pg.AlterTableType_AT_AddInherit:              AlterInherit,
	pg.AlterTableType_AT_DropInherit:             AlterNoInherit,
	pg.AlterTableType_AT_AddIdentity:             AlterAddIdentity,
	pg.AlterTableType_AT_SetIdentity:             AlterSetIdentity,
	pg.AlterTableType_AT_DropIdentity:            AlterDropIdentity,
	pg.AlterTableType_AT_DropExpression:          AlterDropExpression,
	pg.AlterTableType_AT_SetTableSpace:           AlterSetTablespace,
	pg.AlterTableType_AT_SetAccessMethod:         AlterSetAccessMethod,
	pg.AlterTableType_AT_ChangeOwner:             AlterOwner,
	pg.AlterTableType_AT_ClusterOn:               AlterClusterOn,
	pg.AlterTableType_AT_DropCluster:             AlterSetWithoutCluster,
	pg.AlterTableType_AT_EnableRowSecurity:       AlterRowSecurity,
	pg.AlterTableType_AT_DisableRowSecurity:      AlterRowSecurity,
	pg.AlterTableType_AT_ForceRowSecurity:        AlterRowSecurity,
	pg.AlterTableType_AT_NoForceRowSecurity:      AlterRowSecurity,
	pg.AlterTableType_AT_EnableRule:              AlterRule,
	pg.AlterTableType_AT_EnableAlwaysRule:        AlterRule,
	pg.AlterTableType_AT_EnableReplicaRule:       AlterRule,
	pg.AlterTableType_AT_DisableRule:             AlterRule,
}

func describeAlterTable(a *pg.AlterTableStmt) *AlterTable {
	at := &AlterTable{
		Table:    qnameOf(a.GetRelation()),
		Object:   objectKindOf(a.GetObjtype()),
		IfExists: a.GetMissingOk(),
		Only:     a.GetRelation() != nil && !a.GetRelation().GetInh(),
	}
	for _, n := range a.GetCmds() {
		at.Cmds = append(at.Cmds, alterCmdOf(n.GetAlterTableCmd()))
	}
	return at
}

func alterCmdOf(c *pg.AlterTableCmd) AlterCmd {
	cmd := AlterCmd{
		Kind:     alterKinds[c.GetSubtype()],
		Column:   c.GetName(),
		Name:     c.GetName(),
		IfExists: c.GetMissingOk(),
		Cascade:  c.GetBehavior() == pg.DropBehavior_DROP_CASCADE,
		Subtype:  c.GetSubtype().String(),
	}
	if cmd.Kind == "" {
		cmd.Kind = AlterOther
	}
	// Name is the column for column sub-commands and an object name for
	// the others; keep each field meaningful only where it applies.
	switch cmd.Kind {
	case AlterAddColumn, AlterDropColumn, AlterColumnType, AlterSetNotNull, AlterDropNotNull,
		AlterSetStatistics, AlterSetStorage, AlterSetCompression, AlterSetColumnOptions,
		AlterResetColumnOptions, AlterAddIdentity, AlterSetIdentity, AlterDropIdentity, AlterDropExpression:
		cmd.Name = ""
	case AlterOther:
	default:
		cmd.Column = ""
	}
	def := c.GetDef()
	switch c.GetSubtype() {
	case pg.AlterTableType_AT_AddColumn, pg.AlterTableType_AT_AddColumnToView:
		col := columnOf(def.GetColumnDef())
		cmd.Def = &col
		cmd.Column = col.Name
		// ADD COLUMN IF NOT EXISTS sets missing_ok on the command.
		cmd.IfNotExists, cmd.IfExists = cmd.IfExists, false
	case pg.AlterTableType_AT_ColumnDefault:
		cmd.Column, cmd.Name = c.GetName(), ""
		if def == nil {
			cmd.Kind = AlterDropDefault
		} else {
			cmd.Kind = AlterSetDefault
			cmd.Default = exprOf(def)
		}
	case pg.AlterTableType_AT_AlterColumnType:
		cd := def.GetColumnDef()
		cmd.Type = typeNameOf(cd.GetTypeName())
		cmd.Using = exprOf(cd.GetRawDefault())
	case pg.AlterTableType_AT_AddConstraint:
		k := constraintOf(def.GetConstraint())
		cmd.Constraint = &k
		cmd.Name = k.Name
	case pg.AlterTableType_AT_SetRelOptions, pg.AlterTableType_AT_ResetRelOptions, pg.AlterTableType_AT_ReplaceRelOptions,
		pg.AlterTableType_AT_SetOptions, pg.AlterTableType_AT_ResetOptions:
		cmd.Options = defNames(def.GetList().GetItems())
	case pg.AlterTableType_AT_SetStorage, pg.AlterTableType_AT_SetCompression:
		cmd.Value = strings.ToUpper(def.GetString_().GetSval())
	case pg.AlterTableType_AT_SetStatistics:
		if i := def.GetInteger(); i != nil {
			cmd.Value = strconv.Itoa(int(i.GetIval()))
		}
	case pg.AlterTableType_AT_ReplicaIdentity:
		ri := def.GetReplicaIdentityStmt()
		cmd.Value = map[string]string{"d": "DEFAULT", "f": "FULL", "n": "NOTHING", "i": "INDEX"}[ri.GetIdentityType()]
		cmd.Name = ri.GetName()
	case pg.AlterTableType_AT_EnableTrigAll, pg.AlterTableType_AT_DisableTrigAll:
		cmd.Name = "ALL"
	case pg.AlterTableType_AT_EnableTrigUser, pg.AlterTableType_AT_DisableTrigUser:
		cmd.Name = "USER"
	case pg.AlterTableType_AT_AttachPartition, pg.AlterTableType_AT_DetachPartition, pg.AlterTableType_AT_DetachPartitionFinalize:
		pc := def.GetPartitionCmd()
		cmd.Partition = qnameOf(pc.GetName())
		cmd.Concurrently = pc.GetConcurrent()
	case pg.AlterTableType_AT_AddInherit, pg.AlterTableType_AT_DropInherit:
		cmd.Partition = qnameOf(def.GetRangeVar())
	case pg.AlterTableType_AT_ChangeOwner:
		cmd.Name = c.GetNewowner().GetRolename()
	}
	return cmd
}
