// Package pgsql parses PostgreSQL text into plain Go descriptions of its
// statements. It is the only package that imports pg_query_go: nothing of
// pg_query's parse tree leaves it, so a later switch of parser (pg_query v6,
// a fork) stays a local change.
//
// Parse splits a SQL string (one Ecto `execute` string, the SQL Ecto lowers
// a DSL command to) into statements with byte offsets into that string, and
// describes each one: its kind, the relations and columns it names, column
// types in a canonical form (see NormalizeType), default expressions with
// their volatility, constraints. The descriptions carry what the lock model
// (package locks) and the rules need, and nothing about locks themselves.
//
// Text computed at run time cannot be parsed: callers replace each Elixir
// interpolation `#{...}` by an identifier starting with PlaceholderPrefix
// before parsing, and every name, type or expression holding one is marked
// Dynamic.
package pgsql
