package rules

import (
	"fmt"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// BackfillWithSchemaChange: a data change in the same migration as a schema
// change of a table in use. In one transaction the schema change's lock is
// held for the whole data change (or the rows written stay locked through
// the schema change); without one, a failure leaves half of it applied.
var BackfillWithSchemaChange = &analysis.Analyzer{
	Name:     "backfill-with-schema-change",
	Doc:      "data changes (Repo/repo() writes, UPDATE/INSERT/DELETE SQL) in the same migration as schema changes",
	Severity: analysis.Warning,
	EM:       []string{"operation_insert", "operation_update", "operation_delete"},
	Run:      runBackfillWithSchemaChange,
}

// dataChange is one write of rows in a migration: a DML statement, or a
// repo call whose SQL Ecto builds at run time.
type dataChange struct {
	op         *analysis.Op
	sf         *analysis.StmtFacts // nil for repo calls
	index      int                 // position among the up statements (ops without statements: the next one)
	start, end int
	what       string // "UPDATE of \"orders\"", "repo().update_all"
	table      string // "" when not known
	newTable   bool
}

// schemaChange is a DDL statement on a table that existed before the migration.
type schemaChange struct {
	sf    *analysis.StmtFacts
	index int
}

// ddlKinds are the statement kinds that change the schema.
var ddlKinds = map[pgsql.Kind]bool{
	pgsql.KindCreateTable: true, pgsql.KindAlterTable: true, pgsql.KindDrop: true, pgsql.KindRename: true,
	pgsql.KindCreateIndex: true, pgsql.KindAlterEnum: true, pgsql.KindCreateType: true, pgsql.KindCreateTrigger: true,
	pgsql.KindCreateView: true, pgsql.KindCreateSequence: true,
}

func runBackfillWithSchemaChange(p *analysis.Pass) {
	data, schema := dataAndSchemaChanges(p)
	if len(schema) == 0 {
		return
	}
	var firstData *analysis.Op
	allSchemaFirst := true
	for _, d := range data {
		if d.newTable {
			continue
		}
		if firstData == nil {
			firstData = d.op
		}
		if schema[len(schema)-1].index > d.index {
			allSchemaFirst = false
		}
	}
	for _, d := range data {
		if d.newTable {
			continue
		}
		s := relatedSchemaChange(d, schema)
		sStart, sEnd := where(s.sf)
		line := p.Migration.Lines.Line(sStart) + 1
		ddl := fmt.Sprintf("%s on %s at line %d", stmtVerb(s.sf), tableName(s.sf.Facts.Table), line)
		var why string
		switch {
		case !p.Migration.Transaction:
			why = fmt.Sprintf("this migration runs without a transaction, so when one of them fails the other stays applied: "+
				"the migration is half done, its version is not recorded, and running it again repeats what already ran (%s).", ddl)
		case s.index < d.index && (s.sf.Facts.BlocksReads || s.sf.Facts.BlocksWrites):
			why = fmt.Sprintf("it runs in the same transaction as the %s, whose %s lock is held until COMMIT: %s for the whole data change, "+
				"a time proportional to the rows it writes.", ddl, s.sf.Facts.Mode, blockingTable(s.sf))
		default:
			why = fmt.Sprintf("it runs in the same transaction as the %s: the rows it writes stay locked until COMMIT, "+
				"and a failure of either undoes both.", ddl)
		}
		msg := d.what + " in the same migration as a schema change: " + why +
			" Keep data changes out of schema migrations: run this one in a migration of its own after this one " +
			"(batched, with @disable_ddl_transaction true) or as a task after the deploy."
		diag := analysis.Diagnostic{Start: d.start, End: d.end, Message: msg, Classification: analysis.Risky, Table: d.table,
			Related: []analysis.Related{{Start: sStart, End: sEnd, Message: "the schema change"}}}
		if d.sf != nil && d.sf.Facts.Mode.String() != "none" {
			diag.Lock = d.sf.Facts.Mode.String()
		}
		if allSchemaFirst && firstData != nil {
			if fix, ok := splitChangeFix(p, firstData, "Move the data change to a migration of its own", underscore(p.Migration.Module[strings.LastIndexByte(p.Migration.Module, '.')+1:])+"_data"); ok {
				diag.Fixes = append(diag.Fixes, fix)
			}
		}
		p.Report(diag)
	}
}

// blockingTable says what waits on a statement's table.
func blockingTable(sf *analysis.StmtFacts) string {
	t := tableName(sf.Facts.Table)
	switch {
	case sf.Facts.BlocksReads && sf.Facts.BlocksWrites:
		return "every read and write of " + t + " waits"
	case sf.Facts.BlocksWrites:
		return "every INSERT, UPDATE and DELETE on " + t + " waits"
	}
	return "reads of " + t + " wait"
}

// relatedSchemaChange picks the schema change to explain a data change
// with: the last one before it that blocks traffic, else the first after
// it, else the first.
func relatedSchemaChange(d dataChange, schema []schemaChange) schemaChange {
	var before, after *schemaChange
	for i := range schema {
		s := &schema[i]
		if s.index < d.index && (s.sf.Facts.BlocksReads || s.sf.Facts.BlocksWrites) {
			before = s
		}
		if s.index > d.index && after == nil {
			after = s
		}
	}
	switch {
	case before != nil:
		return *before
	case after != nil:
		return *after
	}
	return schema[0]
}

// dataAndSchemaChanges lists the up direction's writes of rows and its
// schema changes of existing tables, in the order they run.
func dataAndSchemaChanges(p *analysis.Pass) ([]dataChange, []schemaChange) {
	var data []dataChange
	var schema []schemaChange
	created := map[string]bool{}
	i := 0
	for _, of := range p.Up {
		sawDML := false
		for _, sf := range of.Stmts {
			f := sf.Facts
			switch d := sf.Stmt.Desc.(type) {
			case *pgsql.DML:
				sawDML = true
				start, end := where(sf)
				data = append(data, dataChange{op: of.Op, sf: sf, index: i, start: start, end: end,
					what: dmlWhat(d.Verb) + tableName(f.Table), table: f.Table, newTable: f.TableNew || created[f.Table]})
			case *pgsql.CreateTable:
				created[f.Table] = true
			}
			if sf.Stmt.Desc != nil && ddlKinds[sf.Stmt.Desc.Kind()] && existing(sf) && !created[f.Table] && f.Fails == nil {
				schema = append(schema, schemaChange{sf: sf, index: i})
			}
			i++
		}
		op := of.Op
		if !sawDML && op.Exec != nil && op.Exec.DataChange {
			d := dataChange{op: op, index: i, start: op.Start, end: op.End, what: repoCallName(op)}
			if op.Table != nil && !op.Table.Dynamic {
				d.table = op.Table.QualifiedName()
				d.newTable = created[d.table]
			}
			data = append(data, d)
		}
	}
	return data, schema
}

// repoCallName names a repo call for messages.
func repoCallName(op *analysis.Op) string {
	switch {
	case op.Kind == analysis.OpExecuteFn:
		return "the data change in execute(fn)"
	case op.Exec != nil && op.Exec.RepoCall != "":
		return "repo()." + op.Exec.RepoCall
	}
	return "this data change"
}

// dmlWhat starts the description of a DML statement.
func dmlWhat(verb string) string {
	switch verb {
	case "INSERT", "MERGE":
		return verb + " into "
	case "DELETE":
		return "DELETE from "
	}
	return verb + " of "
}

// underscore turns a module name segment into snake_case the way Elixir's
// Macro.underscore does for plain names (AddHTTPLog -> add_http_log).
func underscore(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 {
			prevLower := rs[i-1] >= 'a' && rs[i-1] <= 'z' || rs[i-1] >= '0' && rs[i-1] <= '9'
			nextLower := i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z'
			if prevLower || nextLower && rs[i-1] >= 'A' && rs[i-1] <= 'Z' {
				b.WriteByte('_')
			}
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return nameWords(b.String())
}
