package pgsql

import "strings"

// PlaceholderPrefix starts the identifiers that callers put in place of
// Elixir interpolations (`#{...}`) before parsing: "__lockwise_dyn_1",
// "__lockwise_dyn_2"... A name, type or expression containing one is only
// known at run time and is marked Dynamic.
const PlaceholderPrefix = "__lockwise_dyn_"

// IsDynamic reports whether s contains a placeholder.
func IsDynamic(s string) bool {
	return strings.Contains(s, PlaceholderPrefix)
}

// QName is a possibly schema-qualified object name, as written in the SQL
// (unquoted identifiers folded to lower case by the parser, quoted ones kept).
// Schema is "" when the SQL does not qualify the name.
type QName struct {
	Schema string
	Name   string
	// Dynamic is true when the schema or the name holds a placeholder.
	Dynamic bool
}

// makeQName builds a QName and sets Dynamic from its parts.
func makeQName(schema, name string) QName {
	return QName{Schema: schema, Name: name, Dynamic: IsDynamic(schema) || IsDynamic(name)}
}

// String returns "schema.name", or "name" when there is no schema. The parts
// are not quoted: the result is for display and map keys, not for SQL.
func (q QName) String() string {
	if q.Schema == "" {
		return q.Name
	}
	return q.Schema + "." + q.Name
}

// IsZero reports whether q names nothing.
func (q QName) IsZero() bool { return q.Name == "" && q.Schema == "" }
