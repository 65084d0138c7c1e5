package pgtest

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"
)

// firstNormalOID is FirstNormalObjectId: every object below it comes with initdb.
const firstNormalOID = 16384

// OIDs of the system catalogs that pg_locks.classid names.
const (
	pgClass     = 1259
	pgType      = 1247
	pgNamespace = 2615
)

// relation is one pg_class row, as the observer names it.
type relation struct {
	name     string // as reported: "t", "t(toast)"
	relname  string // as in pg_class, schema-qualified unless public
	storage  bool   // a table, index, toast table, sequence or materialized view: relfilenode is its storage
	filenode uint32
	kind     string // pg_class.relkind
	indexOn  uint32 // for an index, the OID of its table
	blocks   int64  // size in blocks
}

// catalog is the user part of the system catalogs at one moment, keyed by OID.
type catalog struct {
	rels    map[uint32]relation
	types   map[uint32]string
	schemas map[uint32]string
}

// readCatalog reads the catalog; with sizes, also the size of each table
// and materialized view, which locks it (ACCESS SHARE): only when nothing
// else can be waiting for a lock on it.
func readCatalog(ctx context.Context, conn *pgx.Conn, sizes bool) (*catalog, error) {
	type row struct {
		nsp, name, kind     string
		filenode            int64
		toastOwner, indexOn int64
		blocks              int64
	}
	raw := map[uint32]row{}
	rows, err := conn.Query(ctx, `SELECT c.oid::int8, n.nspname, c.relname, c.relkind::text, c.relfilenode::int8,
			coalesce(o.oid, 0)::int8, coalesce(i.indrelid, 0)::int8,
			CASE WHEN $1 AND c.relkind IN ('r', 'm') THEN pg_relation_size(c.oid) / current_setting('block_size')::int8 ELSE 0 END
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_class o ON c.relkind = 't' AND o.reltoastrelid = c.oid
		LEFT JOIN pg_index i ON i.indexrelid = c.oid
		WHERE c.oid >= 16384`, sizes)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var oid int64
		var r row
		if err := rows.Scan(&oid, &r.nsp, &r.name, &r.kind, &r.filenode, &r.toastOwner, &r.indexOn, &r.blocks); err != nil {
			rows.Close()
			return nil, err
		}
		raw[uint32(oid)] = r
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	plain := func(oid int64) string {
		r, ok := raw[uint32(oid)]
		if !ok {
			return fmt.Sprintf("relation %d", oid)
		}
		return qualified(r.nsp, r.name)
	}
	c := &catalog{rels: map[uint32]relation{}, types: map[uint32]string{}, schemas: map[uint32]string{}}
	for oid, r := range raw {
		name := qualified(r.nsp, r.name)
		if r.toastOwner != 0 {
			name = plain(r.toastOwner) + "(toast)"
		} else if owner := raw[uint32(r.indexOn)].toastOwner; r.indexOn != 0 && owner != 0 {
			name = plain(owner) + "(toast-index)"
		}
		rel := relation{name: name, relname: qualified(r.nsp, r.name), kind: r.kind, indexOn: uint32(r.indexOn), blocks: r.blocks}
		switch r.kind {
		case "r", "i", "t", "S", "m":
			rel.storage, rel.filenode = true, uint32(r.filenode)
		}
		c.rels[oid] = rel
	}

	if err := collectNames(ctx, conn, c.types, "type ", `SELECT t.oid::int8, n.nspname, t.typname
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid >= 16384`); err != nil {
		return nil, err
	}
	if err := collectNames(ctx, conn, c.schemas, "schema ", `SELECT oid::int8, '', nspname FROM pg_namespace`); err != nil {
		return nil, err
	}
	return c, nil
}

// collectNames reads (oid, schema, name) rows into names as prefix + name.
func collectNames(ctx context.Context, conn *pgx.Conn, names map[uint32]string, prefix, query string) error {
	rows, err := conn.Query(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var oid int64
		var nsp, name string
		if err := rows.Scan(&oid, &nsp, &name); err != nil {
			return err
		}
		names[uint32(oid)] = prefix + qualified(nsp, name)
	}
	return rows.Err()
}

func qualified(nsp, name string) string {
	if nsp == "" || nsp == "public" {
		return name
	}
	return nsp + "." + name
}

// namer names the objects an observation reports (see Observation).
type namer struct{ before, after *catalog }

// name names object oid of system catalog classid.
func (n namer) name(classid, oid uint32) string {
	lookup := func(c *catalog) (string, bool) {
		var s string
		var ok bool
		switch classid {
		case pgClass:
			var r relation
			r, ok = c.rels[oid]
			s = r.name
		case pgType:
			s, ok = c.types[oid]
		case pgNamespace:
			s, ok = c.schemas[oid]
		}
		return s, ok
	}
	if s, ok := lookup(n.before); ok {
		return s
	}
	if s, ok := lookup(n.after); ok {
		return s + "(new)"
	}
	switch classid {
	case pgClass:
		return fmt.Sprintf("relation %d(transient)", oid)
	case pgType:
		return fmt.Sprintf("type %d(transient)", oid)
	case pgNamespace:
		return fmt.Sprintf("schema %d(transient)", oid)
	}
	if catalog, ok := otherCatalogs[classid]; ok {
		return fmt.Sprintf("%s object %d", catalog, oid)
	}
	return fmt.Sprintf("object %d of catalog %d", oid, classid)
}

// otherCatalogs names the catalogs of the other objects DDL locks (dropped
// constraints, their triggers, column defaults...), which are not named further.
var otherCatalogs = map[uint32]string{
	1255: "pg_proc",
	2604: "pg_attrdef",
	2606: "pg_constraint",
	2618: "pg_rewrite",
	2620: "pg_trigger",
	3079: "pg_extension",
	3256: "pg_policy",
	3466: "pg_event_trigger",
	3600: "pg_ts_dict",
	3602: "pg_ts_config",
}

// diffCatalogs fills obs.Rewritten, Created, Dropped and Renamed, and
// obs.Indexes and Blocks from before.
func diffCatalogs(before, after *catalog, obs *Observation) {
	obs.Indexes, obs.Blocks = map[string][]string{}, map[string]int64{}
	for _, r := range before.rels {
		switch r.kind {
		case "r", "p", "m":
			if r.kind != "p" {
				obs.Blocks[r.name] = r.blocks
			}
			if obs.Indexes[r.name] == nil {
				obs.Indexes[r.name] = []string{}
			}
		case "i", "I":
			if owner, ok := before.rels[r.indexOn]; ok && owner.kind != "t" {
				obs.Indexes[owner.name] = append(obs.Indexes[owner.name], r.name)
			}
		}
	}
	for _, idx := range obs.Indexes {
		sort.Strings(idx)
	}
	created := map[string]relation{}
	for oid, a := range after.rels {
		if _, ok := before.rels[oid]; !ok {
			created[a.name] = a
			obs.Created = append(obs.Created, a.name)
		}
	}
	for oid, b := range before.rels {
		a, ok := after.rels[oid]
		if ok && a.relname != b.relname {
			if obs.Renamed == nil {
				obs.Renamed = map[string]string{}
			}
			obs.Renamed[b.name] = a.name
		}
		if !ok {
			obs.Dropped = append(obs.Dropped, b.name)
			a, ok = created[b.name] // dropped and built again under its name
		}
		if ok && b.storage && a.storage && a.filenode != b.filenode {
			obs.Rewritten = append(obs.Rewritten, b.name)
		}
	}
	sort.Strings(obs.Created)
	sort.Strings(obs.Dropped)
	sort.Strings(obs.Rewritten)
}
