package analysis

import (
	"github.com/lockwise/lockwise/analysis/pgsql"
)

// Statement is one SQL statement of a query, parsed by PostgreSQL's own
// parser (pg_query), or for SQL lowered from the DSL described as the
// parser would (describe_dsl.go), and located in the migration file.
type Statement struct {
	pgsql.Stmt
	// FileStart/FileEnd locate the statement in the .exs file: inside the
	// string for SQL written in the file, the whole command for SQL lowered
	// from the DSL.
	FileStart, FileEnd int
	// ErrOffset is the file offset of a parse error (Stmt.Err set).
	ErrOffset int
}

// Statements parses the query into statements. A query usually holds one;
// an execute string may hold several (which Postgres then rejects: see the
// multi-statement-execute rule). The result is computed once and may be
// shared between goroutines.
func (q *Query) Statements() []*Statement {
	q.stmtsOnce.Do(func() {
		if s, ok := describeDSL(q); ok {
			// SQL lowered from the DSL, described from its command.
			q.stmts = []*Statement{{Stmt: s, FileStart: q.Start, FileEnd: q.End, ErrOffset: q.Start}}
			return
		}
		for _, s := range pgsql.Parse(q.SQL) {
			st := &Statement{Stmt: s, FileStart: q.Start, FileEnd: q.End, ErrOffset: q.Start}
			if src := q.Source; src != nil && src.Mapped {
				r := src.Decoded.FileRange(s.Start, s.End)
				st.FileStart, st.FileEnd = r.Start, r.End
				if s.Err != nil {
					st.ErrOffset = src.Decoded.FileOffset(s.Err.Offset)
				}
			}
			q.stmts = append(q.stmts, st)
		}
	})
	return q.stmts
}
