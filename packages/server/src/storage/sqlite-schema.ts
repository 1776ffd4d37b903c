import type { DatabaseSync } from "node:sqlite";

// Migrations by PRAGMA user_version: index i brings the schema from version i to i + 1. Append
// only; never edit a migration that has shipped.
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE workbooks (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    template TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE links (
    id TEXT PRIMARY KEY,
    workbook_id TEXT NOT NULL REFERENCES workbooks(id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'form', 'public')),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    color TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX links_by_workbook ON links(workbook_id);
  -- Append-only log of V1 updates since the last snapshot. AUTOINCREMENT: a sequence number is
  -- never reused, even after compaction deleted the highest ones.
  CREATE TABLE updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_name TEXT NOT NULL,
    "update" BLOB NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX updates_by_doc ON updates(doc_name, seq);
  CREATE TABLE snapshots (
    doc_name TEXT PRIMARY KEY,
    state BLOB NOT NULL,
    upto_seq INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE case_counters (
    workbook_id TEXT PRIMARY KEY,
    last_number INTEGER NOT NULL
  );
  CREATE TABLE case_numbers (
    workbook_id TEXT NOT NULL,
    row_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (workbook_id, row_id),
    UNIQUE (workbook_id, number)
  );
  `,
  // Request form submissions (forms/): one row per ticket's submission id, so a retried POST
  // never stores a second row, and the hash of the requester's manage token.
  `
  CREATE TABLE form_submissions (
    submission_id TEXT PRIMARY KEY,
    workbook_id TEXT NOT NULL,
    link_id TEXT NOT NULL,
    sheet_id TEXT NOT NULL,
    row_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    manage_token_hash TEXT NOT NULL UNIQUE,
    case_number TEXT,
    created_at TEXT NOT NULL,
    completed_at TEXT,
    withdrawn_at TEXT
  );
  CREATE INDEX form_submissions_by_row ON form_submissions(workbook_id, row_id);
  `,
  // Issue 4: a CRC-32 beside every stored blob, the snapshot before the last compaction (a damaged
  // snapshot is recovered from it and the log kept since), audit log, versions, retention.
  `
  ALTER TABLE updates ADD COLUMN checksum INTEGER;
  ALTER TABLE snapshots ADD COLUMN checksum INTEGER;
  ALTER TABLE snapshots ADD COLUMN previous_state BLOB;
  ALTER TABLE snapshots ADD COLUMN previous_upto_seq INTEGER;
  ALTER TABLE snapshots ADD COLUMN previous_checksum INTEGER;
  -- Values are JSON text; NULL when absent or erased by a purge (values_erased = 1).
  CREATE TABLE audit_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workbook_id TEXT NOT NULL,
    sheet_id TEXT NOT NULL,
    row_id TEXT NOT NULL,
    key TEXT NOT NULL,
    actor TEXT NOT NULL,
    via TEXT NOT NULL,
    at TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT,
    values_erased INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX audit_entries_by_row ON audit_entries(workbook_id, sheet_id, row_id, id);
  CREATE TABLE versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workbook_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('auto', 'named', 'before-restore')),
    name TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state BLOB NOT NULL,
    checksum INTEGER NOT NULL
  );
  CREATE INDEX versions_by_workbook ON versions(workbook_id, id);
  CREATE TABLE retention_checks (
    workbook_id TEXT PRIMARY KEY,
    next_check_at TEXT NOT NULL
  );
  CREATE TABLE purge_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workbook_id TEXT NOT NULL,
    sheet_id TEXT NOT NULL,
    row_id TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('private', 'row')),
    created_at TEXT NOT NULL
  );
  `,
  // Issue 3, public view: when each workbook's public projection last changed (the projection
  // itself is derived from the workbook and never stored).
  `
  CREATE TABLE public_states (
    workbook_id TEXT PRIMARY KEY,
    state_hash TEXT NOT NULL,
    changed_at TEXT NOT NULL
  );
  `,
  // The Yjs client ids the server writes under, per document, reused from one load to the next
  // (extensions/server-client-ids.ts): held while a load may write under it.
  `
  CREATE TABLE server_client_ids (
    doc_name TEXT NOT NULL,
    client_id INTEGER NOT NULL,
    held INTEGER NOT NULL CHECK (held IN (0, 1)),
    PRIMARY KEY (doc_name, client_id)
  );
  `,
  // Editor previews of each tab as of the last compaction (storage/doc-store.ts StoredPreviews),
  // valid while the snapshot they were made with is the stored document.
  `
  CREATE TABLE previews (
    doc_name TEXT NOT NULL,
    sheet_key TEXT NOT NULL,
    upto_seq INTEGER NOT NULL,
    gzipped BLOB NOT NULL,
    PRIMARY KEY (doc_name, sheet_key)
  );
  `,
];

/** Brings a database to the newest schema; refuses a database written by a newer server. */
export function migrate(db: DatabaseSync): void {
  const { user_version: version } = db.prepare("PRAGMA user_version").get() as { user_version: number };
  if (version > MIGRATIONS.length) {
    throw new Error(`The database has schema version ${version}, newer than this server knows (${MIGRATIONS.length}); upgrade Huzhu.`);
  }
  for (let next = version; next < MIGRATIONS.length; next += 1) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(MIGRATIONS[next] as string);
      db.exec(`PRAGMA user_version = ${next + 1}`);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }
}
