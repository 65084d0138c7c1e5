package locks

import "strings"

// Schema answers questions about the database as it is before the
// migration runs. Every method may answer "don't know" (ok false, or
// false): the model then says it does not know rather than guess. An empty
// schema name means the default schema (public).
type Schema interface {
	// ColumnType returns the SQL type of a column ("varchar(255)").
	ColumnType(schema, table, column string) (typ string, ok bool)
	// HasValidatedNotNullCheck reports whether the table has a validated
	// CHECK (column IS NOT NULL) constraint.
	HasValidatedNotNullCheck(schema, table, column string) bool
	// ColumnIndexes returns the indexes that cover a column; ok is false
	// when they are not known (an empty list with ok true means none).
	ColumnIndexes(schema, table, column string) (indexes []string, ok bool)
	// IndexTable returns the table an index belongs to.
	IndexTable(schema, index string) (table string, ok bool)
	// TableIsNew reports whether a table holds no production data yet
	// (created by a migration that is not released).
	TableIsNew(schema, table string) bool
	// ForeignKeyTarget returns the table a foreign key constraint of table
	// references; ok is false when the constraint is not a known foreign key.
	ForeignKeyTarget(schema, table, constraint string) (refTable string, ok bool)
}

// MemSchema is a Schema held in memory, filled by its Add methods. The
// zero value is an empty schema that knows nothing. It is not safe for
// concurrent writes.
type MemSchema struct {
	columns      map[string]string   // key(schema, table, column) -> type
	notNull      map[string]bool     // key(schema, table, column)
	indexes      map[string][]string // key(schema, table, column) -> indexes
	knownIndexes map[string]bool     // key(schema, table): column indexes are known
	indexTables  map[string]string   // key(schema, index) -> table
	newTables    map[string]bool     // key(schema, table)
	foreignKeys  map[string]string   // key(schema, table, constraint) -> referenced table
}

// key joins name parts with the empty schema read as public.
func key(schema string, names ...string) string {
	if schema == "" {
		schema = "public"
	}
	return schema + "." + strings.Join(names, ".")
}

// AddColumn records a column and its SQL type.
func (m *MemSchema) AddColumn(schema, table, column, typ string) {
	if m.columns == nil {
		m.columns = map[string]string{}
	}
	m.columns[key(schema, table, column)] = typ
}

// AddIndex records an index on the given columns of a table. Once a table
// has one index recorded, its columns without index are known to have
// none.
func (m *MemSchema) AddIndex(schema, table, index string, columns ...string) {
	if m.indexes == nil {
		m.indexes, m.knownIndexes, m.indexTables = map[string][]string{}, map[string]bool{}, map[string]string{}
	}
	for _, c := range columns {
		k := key(schema, table, c)
		m.indexes[k] = append(m.indexes[k], index)
	}
	m.knownIndexes[key(schema, table)] = true
	m.indexTables[key(schema, index)] = table
}

// AddValidatedNotNullCheck records a validated CHECK (column IS NOT NULL).
func (m *MemSchema) AddValidatedNotNullCheck(schema, table, column string) {
	if m.notNull == nil {
		m.notNull = map[string]bool{}
	}
	m.notNull[key(schema, table, column)] = true
}

// MarkNew records a table as holding no production data yet.
func (m *MemSchema) MarkNew(schema, table string) {
	if m.newTables == nil {
		m.newTables = map[string]bool{}
	}
	m.newTables[key(schema, table)] = true
}

// AddForeignKey records a foreign key constraint of table referencing
// refTable (written as in SQL, optionally schema-qualified).
func (m *MemSchema) AddForeignKey(schema, table, constraint, refTable string) {
	if m.foreignKeys == nil {
		m.foreignKeys = map[string]string{}
	}
	m.foreignKeys[key(schema, table, constraint)] = refTable
}

func (m *MemSchema) ColumnType(schema, table, column string) (string, bool) {
	t, ok := m.columns[key(schema, table, column)]
	return t, ok
}

func (m *MemSchema) HasValidatedNotNullCheck(schema, table, column string) bool {
	return m.notNull[key(schema, table, column)]
}

func (m *MemSchema) ColumnIndexes(schema, table, column string) ([]string, bool) {
	if !m.knownIndexes[key(schema, table)] {
		return nil, false
	}
	return m.indexes[key(schema, table, column)], true
}

func (m *MemSchema) IndexTable(schema, index string) (string, bool) {
	t, ok := m.indexTables[key(schema, index)]
	return t, ok
}

func (m *MemSchema) TableIsNew(schema, table string) bool {
	return m.newTables[key(schema, table)]
}

func (m *MemSchema) ForeignKeyTarget(schema, table, constraint string) (string, bool) {
	t, ok := m.foreignKeys[key(schema, table, constraint)]
	return t, ok
}
