package pgtest

// Fixture is the schema every observation starts from. It is the fixture of
// shared/reference/locks-pg15.meta.txt, statement for statement, so that an
// Observation can be compared with a row of locks-pg15.tsv:
//
//   - schema public, dropped and recreated;
//   - enum type mood ('sad', 'ok');
//   - parent: 100 rows, primary key parent_pkey;
//   - t: 10,000 rows, one column per interesting type, primary key t_pkey, seven
//     plain indexes (t_i_idx, t_v50_idx, t_v100_idx, t_txt_idx, t_ts_idx,
//     t_num_idx, t_parent_id_idx), sequence t_id_seq, a BEFORE UPDATE row
//     trigger t_existing_trg calling trg_fn(); no foreign key (add one with
//     Setup, see FKTtoParent);
//   - other: 100 rows, primary key other_pkey.
//
// Tests extend it per observation with ObserveInput.Setup (committed before the
// statement, undone by the next rebuild) rather than by editing this constant,
// which would drift from the reference table.
const Fixture = `DROP SCHEMA IF EXISTS public CASCADE;
CREATE SCHEMA public;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE parent (id bigserial PRIMARY KEY, name text NOT NULL);
INSERT INTO parent (name) SELECT 'p' || g FROM generate_series(1, 100) g;
CREATE TABLE t (
  id        bigserial PRIMARY KEY,
  parent_id bigint,
  i         integer,
  bi        bigint,
  v50       varchar(50),
  v100      varchar(100),
  v255      varchar(255),
  txt       text,
  ts        timestamp,
  tstz      timestamptz,
  num       numeric(10,2),
  nn        integer,
  code      text,
  m         mood,
  data      jsonb,
  flag      boolean
);
INSERT INTO t (parent_id, i, bi, v50, v100, v255, txt, ts, tstz, num, nn, code, m, data, flag)
SELECT (g % 100) + 1, g, g, 'v' || g, 'v' || g, 'v' || g, 't' || g,
       timestamp '2024-01-01' + g * interval '1 minute', timestamptz '2024-01-01Z' + g * interval '1 minute',
       g / 7.0, g, 'c' || g, 'ok', '{}', true
FROM generate_series(1, 10000) g;
CREATE INDEX t_i_idx ON t (i);
CREATE INDEX t_v50_idx ON t (v50);
CREATE INDEX t_v100_idx ON t (v100);
CREATE INDEX t_txt_idx ON t (txt);
CREATE INDEX t_ts_idx ON t (ts);
CREATE INDEX t_num_idx ON t (num);
CREATE INDEX t_parent_id_idx ON t (parent_id);
CREATE FUNCTION trg_fn() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER t_existing_trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION trg_fn();
CREATE TABLE other (id bigserial PRIMARY KEY, x integer);
INSERT INTO other (x) SELECT g FROM generate_series(1, 100) g;
`

// Setup statements that locks-pg15.tsv uses again and again, for ObserveInput.Setup.
const (
	// ChildTable adds an empty table child whose t_id references t(id).
	ChildTable = "CREATE TABLE child (id bigserial PRIMARY KEY, t_id bigint REFERENCES t(id))"
	// FKTtoParent adds the validated foreign key t_parent_id_fkey: t.parent_id -> parent.id.
	FKTtoParent = "ALTER TABLE t ADD CONSTRAINT t_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES parent(id)"
)
