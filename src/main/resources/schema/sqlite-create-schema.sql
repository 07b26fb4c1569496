-- netkeeper's embedded journal: pekko-persistence-jdbc 1.1's tables (the columns of its H2 and PostgreSQL
-- scripts) for SQLite, which that library ships no script for.
CREATE TABLE IF NOT EXISTS event_journal (
  ordering INTEGER PRIMARY KEY AUTOINCREMENT,
  deleted BOOLEAN DEFAULT 0 NOT NULL,
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  writer TEXT NOT NULL,
  write_timestamp BIGINT NOT NULL,
  adapter_manifest TEXT NOT NULL,
  event_payload BLOB NOT NULL,
  event_ser_id INTEGER NOT NULL,
  event_ser_manifest TEXT NOT NULL,
  meta_payload BLOB,
  meta_ser_id INTEGER,
  meta_ser_manifest TEXT,
  UNIQUE (persistence_id, sequence_number)
);
CREATE TABLE IF NOT EXISTS event_tag (
  event_id BIGINT NOT NULL REFERENCES event_journal (ordering) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (event_id, tag)
);
CREATE TABLE IF NOT EXISTS snapshot (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  created BIGINT NOT NULL,
  snapshot_ser_id INTEGER NOT NULL,
  snapshot_ser_manifest TEXT NOT NULL,
  snapshot_payload BLOB NOT NULL,
  meta_ser_id INTEGER,
  meta_ser_manifest TEXT,
  meta_payload BLOB,
  PRIMARY KEY (persistence_id, sequence_number)
);
