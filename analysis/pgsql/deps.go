package pgsql

import _ "github.com/pganalyze/pg_query_go/v5"
