package pgsql

import (
	"strings"

	"google.golang.org/protobuf/proto"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// describe turns one parsed statement into its Description. Statements
// lockwise has no use for become *Other with their node name.
func describe(n *pg.Node) Description {
	switch s := n.GetNode().(type) {
	case *pg.Node_CreateStmt:
		return describeCreateTable(s.CreateStmt)
	case *pg.Node_CreateTableAsStmt:
		return describeCreateTableAs(s.CreateTableAsStmt)
	case *pg.Node_AlterTableStmt:
		return describeAlterTable(s.AlterTableStmt)
	case *pg.Node_IndexStmt:
		return describeIndex(s.IndexStmt)
	case *pg.Node_DropStmt:
		return describeDrop(s.DropStmt)
	case *pg.Node_RenameStmt:
		return describeRename(s.RenameStmt)
	case *pg.Node_ReindexStmt:
		return describeReindex(s.ReindexStmt)
	case *pg.Node_AlterEnumStmt:
		return describeAlterEnum(s.AlterEnumStmt)
	case *pg.Node_CreateEnumStmt:
		return &CreateType{Type: qnameOfList(s.CreateEnumStmt.GetTypeName()), As: "enum", Values: stringsOf(s.CreateEnumStmt.GetVals())}
	case *pg.Node_CompositeTypeStmt:
		return &CreateType{Type: qnameOf(s.CompositeTypeStmt.GetTypevar()), As: "composite"}
	case *pg.Node_CreateRangeStmt:
		return &CreateType{Type: qnameOfList(s.CreateRangeStmt.GetTypeName()), As: "range"}
	case *pg.Node_CreateDomainStmt:
		return &CreateType{Type: qnameOfList(s.CreateDomainStmt.GetDomainname()), As: "domain"}
	case *pg.Node_DefineStmt:
		if s.DefineStmt.GetKind() == pg.ObjectType_OBJECT_TYPE {
			return &CreateType{Type: qnameOfList(s.DefineStmt.GetDefnames()), As: "base"}
		}
	case *pg.Node_CreateTrigStmt:
		return describeTrigger(s.CreateTrigStmt)
	case *pg.Node_CreateFunctionStmt:
		return describeFunction(s.CreateFunctionStmt)
	case *pg.Node_DoStmt:
		return describeDo(s.DoStmt)
	case *pg.Node_CommentStmt:
		return describeComment(s.CommentStmt)
	case *pg.Node_InsertStmt:
		return describeInsert(s.InsertStmt)
	case *pg.Node_UpdateStmt:
		u := s.UpdateStmt
		return &DML{Verb: "UPDATE", Table: qnameOf(u.GetRelation()), Where: u.GetWhereClause() != nil,
			Reads: readsExcept(u, qnameOf(u.GetRelation()))}
	case *pg.Node_DeleteStmt:
		d := s.DeleteStmt
		return &DML{Verb: "DELETE", Table: qnameOf(d.GetRelation()), Where: d.GetWhereClause() != nil,
			Reads: readsExcept(d, qnameOf(d.GetRelation()))}
	case *pg.Node_MergeStmt:
		m := s.MergeStmt
		return &DML{Verb: "MERGE", Table: qnameOf(m.GetRelation()), Where: true,
			Reads: readsExcept(m, qnameOf(m.GetRelation()))}
	case *pg.Node_SelectStmt:
		if s.SelectStmt.GetIntoClause() != nil {
			return describeSelectInto(s.SelectStmt)
		}
		return describeSelect(s.SelectStmt)
	case *pg.Node_TruncateStmt:
		t := s.TruncateStmt
		return &Truncate{Tables: qnamesOf(t.GetRelations()), Cascade: t.GetBehavior() == pg.DropBehavior_DROP_CASCADE,
			RestartIdentity: t.GetRestartSeqs()}
	case *pg.Node_VacuumStmt:
		return describeVacuum(s.VacuumStmt)
	case *pg.Node_ClusterStmt:
		return &Cluster{Table: qnameOf(s.ClusterStmt.GetRelation()), Index: s.ClusterStmt.GetIndexname()}
	case *pg.Node_LockStmt:
		return describeLock(s.LockStmt)
	case *pg.Node_ViewStmt:
		v := s.ViewStmt
		return &CreateView{View: qnameOf(v.GetView()), Replace: v.GetReplace(), Reads: relationsRead(v.GetQuery())}
	case *pg.Node_RefreshMatViewStmt:
		r := s.RefreshMatViewStmt
		return &RefreshMatView{View: qnameOf(r.GetRelation()), Concurrently: r.GetConcurrent(), WithNoData: r.GetSkipData()}
	case *pg.Node_CreateExtensionStmt:
		return describeExtension(s.CreateExtensionStmt)
	case *pg.Node_CreateSeqStmt:
		return &CreateSequence{Sequence: qnameOf(s.CreateSeqStmt.GetSequence()), IfNotExists: s.CreateSeqStmt.GetIfNotExists()}
	case *pg.Node_GrantStmt:
		return describeGrant(s.GrantStmt)
	case *pg.Node_VariableSetStmt:
		return describeSet(s.VariableSetStmt)
	case *pg.Node_TransactionStmt:
		return describeTransaction(s.TransactionStmt)
	}
	return &Other{Node: nodeName(n)}
}

// nodeName is the name of a node's type as pg_query spells it
// ("CreateSchemaStmt").
func nodeName(n *pg.Node) string {
	if n == nil || n.GetNode() == nil {
		return ""
	}
	return string(n.ProtoReflect().WhichOneof(n.ProtoReflect().Descriptor().Oneofs().Get(0)).Message().Name())
}

func qnamesOf(nodes []*pg.Node) []QName {
	var out []QName
	for _, n := range nodes {
		out = append(out, qnameOf(n.GetRangeVar()))
	}
	return out
}

// objectKindOf names an ObjectType: OBJECT_MATVIEW -> "materialized view".
func objectKindOf(t pg.ObjectType) ObjectKind {
	switch t {
	case pg.ObjectType_OBJECT_MATVIEW:
		return ObjectMaterializedView
	case pg.ObjectType_OBJECT_TABCONSTRAINT, pg.ObjectType_OBJECT_DOMCONSTRAINT:
		return ObjectConstraint
	case pg.ObjectType_OBJECT_FOREIGN_TABLE:
		return ObjectForeignTable
	}
	name := strings.TrimPrefix(t.String(), "OBJECT_")
	return ObjectKind(strings.ReplaceAll(strings.ToLower(name), "_", " "))
}

func describeCreateTable(c *pg.CreateStmt) *CreateTable {
	ct := &CreateTable{
		Table:       qnameOf(c.GetRelation()),
		IfNotExists: c.GetIfNotExists(),
		Temporary:   c.GetRelation().GetRelpersistence() == "t",
		Unlogged:    c.GetRelation().GetRelpersistence() == "u",
		Inherits:    qnamesOf(c.GetInhRelations()),
	}
	if c.GetPartbound() != nil && len(ct.Inherits) == 1 {
		// PARTITION OF parent is parsed as an inheritance from parent plus
		// a partition bound.
		ct.PartitionOf, ct.Inherits = ct.Inherits[0], nil
	}
	for _, elt := range c.GetTableElts() {
		switch e := elt.GetNode().(type) {
		case *pg.Node_ColumnDef:
			ct.Columns = append(ct.Columns, columnOf(e.ColumnDef))
		case *pg.Node_Constraint:
			ct.Constraints = append(ct.Constraints, constraintOf(e.Constraint))
		case *pg.Node_TableLikeClause:
			ct.Like = append(ct.Like, qnameOf(e.TableLikeClause.GetRelation()))
		}
	}
	for _, con := range c.GetConstraints() {
		ct.Constraints = append(ct.Constraints, constraintOf(con.GetConstraint()))
	}
	return ct
}

// describeCreateTableAs covers CREATE TABLE AS and CREATE MATERIALIZED VIEW,
// which pg_query parses alike.
func describeCreateTableAs(c *pg.CreateTableAsStmt) Description {
	into := c.GetInto()
	name := qnameOf(into.GetRel())
	reads := relationsRead(c.GetQuery())
	if c.GetObjtype() == pg.ObjectType_OBJECT_MATVIEW {
		return &CreateView{View: name, Materialized: true, IfNotExists: c.GetIfNotExists(), Reads: reads, WithNoData: into.GetSkipData()}
	}
	return &CreateTable{Table: name, IfNotExists: c.GetIfNotExists(), AsQuery: true, Reads: reads, WithNoData: into.GetSkipData(),
		Temporary: into.GetRel().GetRelpersistence() == "t", Unlogged: into.GetRel().GetRelpersistence() == "u"}
}

// describeSelectInto covers SELECT ... INTO new_table, a CREATE TABLE AS.
func describeSelectInto(s *pg.SelectStmt) *CreateTable {
	into := s.GetIntoClause()
	name := qnameOf(into.GetRel())
	var reads []QName
	for _, q := range relationsRead(s) {
		if q != name {
			reads = append(reads, q)
		}
	}
	return &CreateTable{Table: name, AsQuery: true, Reads: reads}
}

func describeIndex(ix *pg.IndexStmt) *CreateIndex {
	ci := &CreateIndex{
		Name:             ix.GetIdxname(),
		Table:            qnameOf(ix.GetRelation()),
		Concurrently:     ix.GetConcurrent(),
		Unique:           ix.GetUnique(),
		IfNotExists:      ix.GetIfNotExists(),
		Only:             !ix.GetRelation().GetInh(),
		Method:           ix.GetAccessMethod(),
		NullsNotDistinct: ix.GetNullsNotDistinct(),
		Where:            exprOf(ix.GetWhereClause()),
		Options:          defNames(ix.GetOptions()),
	}
	if ci.Method == "" {
		ci.Method = "btree"
	}
	for _, p := range ix.GetIndexParams() {
		e := p.GetIndexElem()
		ci.Columns = append(ci.Columns, IndexElem{Column: e.GetName(), Expr: exprOf(e.GetExpr())})
	}
	for _, p := range ix.GetIndexIncludingParams() {
		ci.Include = append(ci.Include, p.GetIndexElem().GetName())
	}
	return ci
}

// defNames returns the option names of a list of DefElem nodes.
func defNames(nodes []*pg.Node) []string {
	var out []string
	for _, n := range nodes {
		if d := n.GetDefElem(); d != nil {
			out = append(out, d.GetDefname())
		}
	}
	return out
}

func describeDrop(d *pg.DropStmt) *Drop {
	dr := &Drop{
		Object:       objectKindOf(d.GetRemoveType()),
		IfExists:     d.GetMissingOk(),
		Cascade:      d.GetBehavior() == pg.DropBehavior_DROP_CASCADE,
		Concurrently: d.GetConcurrent(),
	}
	for _, obj := range d.GetObjects() {
		switch dr.Object {
		case ObjectTrigger, ObjectKind("policy"), ObjectKind("rule"):
			// [schema,] table, name: the object lives on a table.
			parts := stringsOf(obj.GetList().GetItems())
			if len(parts) >= 2 {
				dr.Table = qnameOfList(obj.GetList().GetItems()[:len(parts)-1])
				dr.Names = append(dr.Names, makeQName("", parts[len(parts)-1]))
			}
		case ObjectType, ObjectDomain:
			dr.Names = append(dr.Names, qnameOfList(obj.GetTypeName().GetNames()))
		case ObjectFunction, ObjectProcedure, ObjectKind("routine"), ObjectKind("aggregate"):
			dr.Names = append(dr.Names, qnameOfList(obj.GetObjectWithArgs().GetObjname()))
		default:
			if l := obj.GetList(); l != nil {
				dr.Names = append(dr.Names, qnameOfList(l.GetItems()))
			} else if s := obj.GetString_(); s != nil {
				dr.Names = append(dr.Names, makeQName("", s.GetSval()))
			}
		}
	}
	return dr
}

func describeRename(r *pg.RenameStmt) *Rename {
	rn := &Rename{
		Object:   objectKindOf(r.GetRenameType()),
		Old:      r.GetSubname(),
		New:      r.GetNewname(),
		IfExists: r.GetMissingOk(),
	}
	switch {
	case r.GetRelation() != nil:
		rn.Target = qnameOf(r.GetRelation())
	case r.GetObject().GetList() != nil:
		rn.Target = qnameOfList(r.GetObject().GetList().GetItems())
	case r.GetObject().GetTypeName() != nil:
		rn.Target = qnameOfList(r.GetObject().GetTypeName().GetNames())
	case r.GetObject().GetObjectWithArgs() != nil:
		rn.Target = qnameOfList(r.GetObject().GetObjectWithArgs().GetObjname())
	case r.GetObject().GetString_() != nil:
		rn.Target = makeQName("", r.GetObject().GetString_().GetSval())
	}
	return rn
}

func describeReindex(r *pg.ReindexStmt) *Reindex {
	ri := &Reindex{}
	switch r.GetKind() {
	case pg.ReindexObjectType_REINDEX_OBJECT_INDEX:
		ri.Object = ObjectIndex
	case pg.ReindexObjectType_REINDEX_OBJECT_TABLE:
		ri.Object = ObjectTable
	case pg.ReindexObjectType_REINDEX_OBJECT_SCHEMA:
		ri.Object = ObjectSchema
	case pg.ReindexObjectType_REINDEX_OBJECT_DATABASE:
		ri.Object = ObjectDatabase
	default:
		ri.Object = ObjectSystem
	}
	if r.GetRelation() != nil {
		ri.Name = qnameOf(r.GetRelation())
	} else {
		ri.Name = makeQName("", r.GetName())
	}
	for _, opt := range defNames(r.GetParams()) {
		if opt == "concurrently" {
			ri.Concurrently = true
		}
	}
	return ri
}

func describeAlterEnum(a *pg.AlterEnumStmt) *AlterEnum {
	ae := &AlterEnum{
		Type:        qnameOfList(a.GetTypeName()),
		Value:       a.GetNewVal(),
		OldValue:    a.GetOldVal(),
		IfNotExists: a.GetSkipIfNewValExists(),
	}
	if n := a.GetNewValNeighbor(); n != "" {
		if a.GetNewValIsAfter() {
			ae.After = n
		} else {
			ae.Before = n
		}
	}
	return ae
}

func describeTrigger(t *pg.CreateTrigStmt) *CreateTrigger {
	ct := &CreateTrigger{
		Name:       t.GetTrigname(),
		Table:      qnameOf(t.GetRelation()),
		Replace:    t.GetReplace(),
		Constraint: t.GetIsconstraint(),
		Function:   qnameOfList(t.GetFuncname()),
		ForEachRow: t.GetRow(),
	}
	// Timing and events are bit masks from trigger.h.
	switch {
	case t.GetTiming()&(1<<1) != 0:
		ct.Timing = "BEFORE"
	case t.GetTiming()&(1<<6) != 0:
		ct.Timing = "INSTEAD OF"
	default:
		ct.Timing = "AFTER"
	}
	for _, ev := range []struct {
		bit  int32
		name string
	}{{1 << 2, "INSERT"}, {1 << 3, "DELETE"}, {1 << 4, "UPDATE"}, {1 << 5, "TRUNCATE"}} {
		if t.GetEvents()&ev.bit != 0 {
			ct.Events = append(ct.Events, ev.name)
		}
	}
	return ct
}

func describeFunction(f *pg.CreateFunctionStmt) *CreateFunction {
	cf := &CreateFunction{Name: qnameOfList(f.GetFuncname()), Replace: f.GetReplace(), Procedure: f.GetIsProcedure()}
	for _, o := range f.GetOptions() {
		d := o.GetDefElem()
		switch d.GetDefname() {
		case "language":
			cf.Language = d.GetArg().GetString_().GetSval()
		case "as":
			if body := d.GetArg().GetList().GetItems(); len(body) > 0 {
				cf.Body = body[0].GetString_().GetSval()
			}
		}
	}
	return cf
}

func describeDo(d *pg.DoStmt) *Do {
	do := &Do{Language: "plpgsql"}
	for _, a := range d.GetArgs() {
		switch a.GetDefElem().GetDefname() {
		case "as":
			do.Body = a.GetDefElem().GetArg().GetString_().GetSval()
		case "language":
			do.Language = a.GetDefElem().GetArg().GetString_().GetSval()
		}
	}
	return do
}

func describeComment(c *pg.CommentStmt) *Comment {
	cm := &Comment{Object: objectKindOf(c.GetObjtype())}
	obj := c.GetObject()
	switch {
	case obj.GetList() != nil:
		items := obj.GetList().GetItems()
		if (cm.Object == ObjectColumn || cm.Object == ObjectConstraint || cm.Object == ObjectTrigger) && len(items) >= 2 {
			cm.Target = qnameOfList(items[:len(items)-1])
			cm.Sub = items[len(items)-1].GetString_().GetSval()
		} else {
			cm.Target = qnameOfList(items)
		}
	case obj.GetTypeName() != nil:
		cm.Target = qnameOfList(obj.GetTypeName().GetNames())
	case obj.GetObjectWithArgs() != nil:
		cm.Target = qnameOfList(obj.GetObjectWithArgs().GetObjname())
	case obj.GetString_() != nil:
		cm.Target = makeQName("", obj.GetString_().GetSval())
	}
	return cm
}

func describeInsert(i *pg.InsertStmt) *DML {
	table := qnameOf(i.GetRelation())
	d := &DML{Verb: "INSERT", Table: table, Reads: readsExcept(i, table)}
	if sel := i.GetSelectStmt().GetSelectStmt(); sel != nil && sel.GetValuesLists() == nil {
		d.Query = true
	}
	return d
}

// readsExcept lists the relations a DML statement reads, leaving out its
// target (which the statement writes) unless it is read again elsewhere.
func readsExcept(stmt proto.Message, target QName) []QName {
	var out []QName
	skipped := false
	for _, q := range relationsRead(stmt) {
		if q == target && !skipped {
			skipped = true
			continue
		}
		out = append(out, q)
	}
	return out
}

func describeSelect(s *pg.SelectStmt) *Select {
	sel := &Select{Reads: relationsRead(s)}
	for _, t := range s.GetTargetList() {
		fc := t.GetResTarget().GetVal().GetFuncCall()
		if fc == nil {
			continue
		}
		call := Call{Name: qnameOfList(fc.GetFuncname())}
		for _, a := range fc.GetArgs() {
			call.Args = append(call.Args, argOf(a))
		}
		sel.Calls = append(sel.Calls, call)
	}
	for _, l := range s.GetLockingClause() {
		switch l.GetLockingClause().GetStrength() {
		case pg.LockClauseStrength_LCS_FORKEYSHARE:
			sel.Locking = "FOR KEY SHARE"
		case pg.LockClauseStrength_LCS_FORSHARE:
			sel.Locking = "FOR SHARE"
		case pg.LockClauseStrength_LCS_FORNOKEYUPDATE:
			sel.Locking = "FOR NO KEY UPDATE"
		case pg.LockClauseStrength_LCS_FORUPDATE:
			sel.Locking = "FOR UPDATE"
		}
	}
	return sel
}

// argOf describes one argument of a function call.
func argOf(n *pg.Node) Arg {
	var a Arg
	if na := n.GetNamedArgExpr(); na != nil {
		a.Name = na.GetName()
		n = na.GetArg()
	}
	if tc := n.GetTypeCast(); tc != nil && tc.GetArg().GetAConst() != nil {
		// 'users'::regclass, INTERVAL '1 day': the constant is what matters.
		n = tc.GetArg()
	}
	if c := n.GetAConst(); c != nil {
		a.Value, a.Const = constText(c), true
		return a
	}
	a.Value = deparseExpr(n)
	return a
}

func describeVacuum(v *pg.VacuumStmt) *Vacuum {
	vc := &Vacuum{IsAnalyze: !v.GetIsVacuumcmd()}
	for _, opt := range defNames(v.GetOptions()) {
		vc.Options = append(vc.Options, opt)
		switch opt {
		case "full":
			vc.Full = true
		case "analyze":
			vc.Analyze = true
		}
	}
	for _, r := range v.GetRels() {
		vc.Tables = append(vc.Tables, qnameOf(r.GetVacuumRelation().GetRelation()))
	}
	return vc
}

// lockModeNames are the modes of LOCK TABLE by their number in lockdefs.h.
var lockModeNames = [...]string{"", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
	"SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"}

func describeLock(l *pg.LockStmt) *LockTable {
	lt := &LockTable{Tables: qnamesOf(l.GetRelations()), NoWait: l.GetNowait(), Mode: "ACCESS EXCLUSIVE"}
	if m := int(l.GetMode()); m > 0 && m < len(lockModeNames) {
		lt.Mode = lockModeNames[m]
	}
	return lt
}

func describeExtension(c *pg.CreateExtensionStmt) *CreateExtension {
	ce := &CreateExtension{Name: c.GetExtname(), IfNotExists: c.GetIfNotExists()}
	for _, o := range c.GetOptions() {
		if d := o.GetDefElem(); d.GetDefname() == "schema" {
			ce.Schema = d.GetArg().GetString_().GetSval()
		}
	}
	return ce
}

func describeGrant(g *pg.GrantStmt) *Grant {
	gr := &Grant{Revoke: !g.GetIsGrant(), Object: objectKindOf(g.GetObjtype())}
	for _, o := range g.GetObjects() {
		switch {
		case o.GetRangeVar() != nil:
			gr.Targets = append(gr.Targets, qnameOf(o.GetRangeVar()))
		case o.GetString_() != nil:
			gr.Targets = append(gr.Targets, makeQName("", o.GetString_().GetSval()))
		case o.GetObjectWithArgs() != nil:
			gr.Targets = append(gr.Targets, qnameOfList(o.GetObjectWithArgs().GetObjname()))
		case o.GetList() != nil:
			gr.Targets = append(gr.Targets, qnameOfList(o.GetList().GetItems()))
		}
	}
	for _, p := range g.GetPrivileges() {
		gr.Privileges = append(gr.Privileges, p.GetAccessPriv().GetPrivName())
	}
	for _, r := range g.GetGrantees() {
		gr.Grantees = append(gr.Grantees, r.GetRoleSpec().GetRolename())
	}
	return gr
}

func describeSet(v *pg.VariableSetStmt) *Set {
	s := &Set{Name: v.GetName(), Local: v.GetIsLocal()}
	switch v.GetKind() {
	case pg.VariableSetKind_VAR_RESET, pg.VariableSetKind_VAR_RESET_ALL, pg.VariableSetKind_VAR_SET_DEFAULT:
		s.Reset = true
	case pg.VariableSetKind_VAR_SET_VALUE:
		var vals []string
		for _, a := range v.GetArgs() {
			if c := a.GetAConst(); c != nil {
				vals = append(vals, constText(c))
			} else {
				vals = append(vals, deparseExpr(a))
			}
		}
		s.Value = strings.Join(vals, ", ")
	}
	return s
}

func describeTransaction(t *pg.TransactionStmt) *Transaction {
	verbs := map[pg.TransactionStmtKind]string{
		pg.TransactionStmtKind_TRANS_STMT_BEGIN:             "BEGIN",
		pg.TransactionStmtKind_TRANS_STMT_START:             "BEGIN",
		pg.TransactionStmtKind_TRANS_STMT_COMMIT:            "COMMIT",
		pg.TransactionStmtKind_TRANS_STMT_ROLLBACK:          "ROLLBACK",
		pg.TransactionStmtKind_TRANS_STMT_SAVEPOINT:         "SAVEPOINT",
		pg.TransactionStmtKind_TRANS_STMT_RELEASE:           "RELEASE",
		pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:       "ROLLBACK TO",
		pg.TransactionStmtKind_TRANS_STMT_PREPARE:           "PREPARE TRANSACTION",
		pg.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED:   "COMMIT PREPARED",
		pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED: "ROLLBACK PREPARED",
	}
	return &Transaction{Verb: verbs[t.GetKind()]}
}
