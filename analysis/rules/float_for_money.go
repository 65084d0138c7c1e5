package rules

import (
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/grammar"
)

// FloatForMoney: binary floating point for amounts of money.
//
// It is a type choice, not a lock: it reports columns of tables created in
// the same migration too.
var FloatForMoney = &analysis.Analyzer{
	Name:     "float-for-money",
	Doc:      "`:float` for a money-like column (price, amount, cost, balance, total, fee, salary, tax...): rounding errors; use :decimal with precision/scale or integer cents",
	Severity: analysis.Info,
	Run:      runFloatForMoney,
}

// moneyWords are the words of a column name that say it holds money.
var moneyWords = map[string]bool{
	"price": true, "amount": true, "cost": true, "balance": true, "total": true, "subtotal": true, "fee": true,
	"salary": true, "salaries": true, "wage": true, "tax": true, "taxes": true, "vat": true, "revenue": true,
	"payment": true, "payout": true, "charge": true, "discount": true, "refund": true, "credit": true, "debit": true,
	"budget": true, "income": true, "expense": true, "commission": true, "money": true, "cash": true, "fare": true,
	"prepayment": true, "deposit": true, "earnings": true, "spend": true,
}

// moneyLike reports whether a column name has a money word in it
// (unit_price, total_amount, fees...).
func moneyLike(column string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(column), func(r rune) bool { return r == '_' || r == ' ' || r == '-' }) {
		if moneyWords[w] || moneyWords[strings.TrimSuffix(w, "s")] {
			return true
		}
	}
	return false
}

func runFloatForMoney(p *analysis.Pass) {
	for _, c := range typedColumns(p) {
		if c.typ.Schema != "" || c.typ.Name != "double precision" && c.typ.Name != "real" || !moneyLike(c.column) {
			continue
		}
		msg := "Column " + colRef(c.table, c.column) + " holds money as " + typeWord(c.typ) + " (binary floating point): most decimal amounts have no exact " +
			"representation (0.1 + 0.2 is 0.30000000000000004), so sums, comparisons and rounding drift by fractions of a cent. " +
			"Use :decimal with a precision and scale (`:decimal, precision: 12, scale: 2`: exact numeric, and `field :" + c.column + ", :decimal` in the schema) " +
			"or store integer cents (:integer/:bigint)."
		d := c.diag(msg)
		if s := c.sub; s != nil && !s.Opts.Has("precision") && !s.Opts.Has("size") && !s.Opts.Has("scale") {
			var n *grammar.Node
			for _, name := range []string{"float", "real", "float4", "float8"} {
				if n == nil {
					n = typeAtom(s, name)
				}
			}
			if n != nil {
				d.Fixes = append(d.Fixes, analysis.Fix{Title: "Store it as :decimal", Kind: analysis.QuickFix,
					Edits: []analysis.TextEdit{{Start: n.Start, End: n.End, NewText: ":decimal"}}})
			}
		}
		reportShown(p, c.sf, d)
	}
}
