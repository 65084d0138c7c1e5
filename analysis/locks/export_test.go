package locks

// Exported for the external tests of this package (realpg_test.go), which
// import package analysis to lower Ecto commands to SQL, and so cannot be
// in package locks (analysis imports locks).

// OracleCase is a measured case of locks-pg15.tsv with the model's answer.
type OracleCase = oracleCase

// OracleCases are the 140 cases of cases_test.go.
var OracleCases = oracleCases

// FixtureSchema is what the model is told of the tsv fixture.
var FixtureSchema = fixtureSchema
