package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
)

// SQLNotAnalysed says where the analysis is partial: SQL PostgreSQL 15's
// parser rejects, SQL built at run time, code whose SQL is not visible,
// statements the lock model does not know, and calls the model could not
// follow. One diagnostic per place.
var SQLNotAnalysed = &analysis.Analyzer{
	Name:     "sql-not-analysed",
	Doc:      "SQL that could not be parsed or is built at run time (interpolation, variables, functions): its analysis is partial",
	Severity: analysis.Info,
	EM:       []string{"raw_sql_executed"},
	Run:      runSQLNotAnalysed,
}

// unknownNote picks the lock model's notes that say what it does not know.
var unknownWords = []string{"not analysed", "not modelled", "not known", "not listed", "built at run time"}

func runSQLNotAnalysed(p *analysis.Pass) {
	seen := map[[2]int]bool{}
	report := func(start, end int, msg string) {
		k := [2]int{start, end}
		if seen[k] {
			return
		}
		seen[k] = true
		p.Report(analysis.Diagnostic{Start: start, End: end, Message: msg, Classification: analysis.Unknown})
	}
	// The model's own account of a call it could not follow is the most
	// precise: it goes first, and the op that holds it says nothing more.
	var problems [][2]int
	for _, pr := range p.Migration.Problems {
		if pr.Kind != analysis.Unfollowed {
			continue
		}
		problems = append(problems, [2]int{pr.Start, pr.End})
		report(pr.Start, pr.End, strings.TrimSuffix(pr.Message, ".")+
			". lockwise does not see the SQL this runs: check its locks by hand (`lockwise sql` lists what was analysed).")
	}
	for _, ofs := range [][]*analysis.OpFacts{p.Up, p.Down} {
		for _, of := range ofs {
			opNotAnalysed(of, func(start, end int, msg string) {
				for _, pr := range problems {
					if start <= pr[0] && pr[1] <= end && (pr[0] != 0 || pr[1] != 0) {
						return
					}
				}
				report(start, end, msg)
			})
		}
	}
}

// opNotAnalysed reports the parts of one op lockwise could not analyse.
func opNotAnalysed(of *analysis.OpFacts, report func(start, end int, msg string)) {
	op := of.Op
	found := false
	for _, q := range op.Queries {
		if q.Dynamic {
			found = true
			report(q.Start, q.End, dynamicQueryMessage(op, q))
			continue
		}
		for _, sf := range of.Stmts {
			if sf.Query != q {
				continue
			}
			st := sf.Stmt
			switch {
			case st.Err != nil && st.Err.Code != "0A000":
				found = true
				start, end := st.FileStart, st.FileEnd
				if st.ErrOffset > start && st.ErrOffset < end {
					start = st.ErrOffset
				}
				report(start, end, "PostgreSQL 15's parser rejects this SQL ("+st.Err.Message+"), so lockwise does not analyse it. "+
					"If your server accepts it (syntax newer than PostgreSQL 15), its locks are not checked; if it does not, the migration fails here.")
			case sf.Facts.Unknown && !st.Dynamic:
				if why := unknownNotes(sf.Facts.Notes); why != "" {
					found = true
					start, end := where(sf)
					if strings.HasPrefix(why, "calls ") {
						why = "this " + sqlVerb(st.Desc) + " " + why
					}
					report(start, end, strings.ToUpper(why[:1])+why[1:]+". lockwise does not know every lock this statement takes: check them by hand.")
				}
			}
		}
	}
	if found || len(op.Queries) > 0 || !op.Dynamic {
		return
	}
	reasons := " (" + strings.Join(dynamicReasons(op), "; ") + ")"
	if strings.Contains(reasons, "built at run time") {
		reasons = ""
	}
	switch op.Kind {
	case analysis.OpRepo:
		if op.Exec.RepoCall != "query" && op.Exec.RepoCall != "query!" && !op.Exec.DataChange {
			return // reads only take ACCESS SHARE
		}
		if op.Exec.DataChange {
			report(op.Start, op.End, "repo()."+op.Exec.RepoCall+": Ecto builds this query at run time, so lockwise does not see its SQL: "+
				"which rows it writes, and how long they stay locked, is not analysed.")
			return
		}
		report(op.Start, op.End, "the SQL of this query is built at run time"+reasons+": lockwise does not see it, so its locks are not analysed.")
	case analysis.OpExecuteFn:
		report(op.Start, op.End, "execute(fn) runs code whose SQL lockwise cannot see"+reasons+": its locks and the rows it touches are not analysed.")
	case analysis.OpExecute:
		report(op.Start, op.End, "the SQL of this execute is not known statically"+reasons+": its locks are not analysed.")
	default:
		report(op.Start, op.End, "this command is not known statically"+reasons+": lockwise cannot tell which SQL Ecto sends for it, so its locks are not analysed.")
	}
}

// dynamicQueryMessage explains a query with parts known only at run time.
func dynamicQueryMessage(op *analysis.Op, q *analysis.Query) string {
	var exprs []string
	for _, h := range q.Holes {
		e := "`" + h.Source + "`"
		if q.Source != nil {
			e = "`#{" + h.Source + "}`"
		}
		if !containsStr(exprs, e) {
			exprs = append(exprs, e)
		}
	}
	what := ""
	if len(exprs) > 0 {
		what = strings.Join(exprs, ", ")
	}
	if q.Source != nil {
		if what == "" {
			what = "values not known statically"
		}
		return "this SQL interpolates " + what + ": lockwise analysed it with a placeholder in its place, so what depends on the value " +
			"(a table or column name, a value compared or stored) is not checked. Write the SQL out if you can, or check it by hand."
	}
	depends := "depends on " + what + ", not known statically"
	if what == "" {
		// The model marked the SQL dynamic without saying which expression.
		depends = "holds a name, type or value not known statically"
		if r := dynamicReasons(op); r[0] != "not known statically" {
			depends += " (" + strings.Join(r, "; ") + ")"
		}
	}
	return "the SQL Ecto sends for this " + strings.ReplaceAll(op.Kind.String(), "_", " ") + " " + depends +
		": lockwise analysed it with a placeholder in its place, so what depends on the value " +
		"(a table, column, type or index name) is not checked."
}

// dynamicReasons are the op's reasons that say what is not known.
func dynamicReasons(op *analysis.Op) []string {
	var out []string
	for _, r := range op.Reasons {
		if strings.HasPrefix(r, "repeated by ") || strings.HasPrefix(r, "inside ") || containsStr(out, r) {
			continue
		}
		out = append(out, r)
	}
	if len(out) > 1 {
		// "not visible" says less than the reasons it comes with.
		kept := out[:0]
		for _, r := range out {
			if r != "the function's SQL is not visible" {
				kept = append(kept, r)
			}
		}
		out = kept
	}
	if len(out) == 0 {
		out = append(out, "not known statically")
	}
	return out
}

// unknownNotes joins the notes saying what the lock model does not know.
func unknownNotes(notes []string) string {
	var out []string
	for _, n := range notes {
		for _, w := range unknownWords {
			if strings.Contains(n, w) {
				out = append(out, n)
				break
			}
		}
	}
	return strings.Join(out, "; ")
}
