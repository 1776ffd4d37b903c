import type { Pool, PoolClient } from "pg";

/**
 * PostgreSQL migrations, in the order they apply. Index i brings the schema from version i to
 * i + 1. Append only; never edit a migration that has shipped. Each store module that keeps
 * tables in PostgreSQL adds its step at the end, like the SQLite migrations.
 *
 * Tables are created unqualified, in the first schema of the connection's `search_path`
 * (`public` unless DATABASE_URL says otherwise, e.g. `?options=-c%20search_path%3Dhuzhu`).
 */
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
  -- Append-only log of V1 updates. One sequence for all documents: numbers only grow, but with
  -- several instances appending at once they need not commit in order, so compaction deletes
  -- the rows its snapshot contains, never a range (see PostgresDocStore.compactDocument).
  CREATE TABLE updates (
    seq BIGSERIAL PRIMARY KEY,
    doc_name TEXT NOT NULL,
    "update" BYTEA NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX updates_by_doc ON updates(doc_name, seq);
  CREATE TABLE snapshots (
    doc_name TEXT PRIMARY KEY,
    state BYTEA NOT NULL,
    upto_seq BIGINT NOT NULL,
    -- Incremented by every write, so an instance can tell whether the snapshot is still the one
    -- it loaded or wrote itself.
    version BIGINT NOT NULL DEFAULT 1,
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
  // Issue 3, public view: when each workbook's public projection last changed (postgres-public-state-store.ts).
  `
  CREATE TABLE public_states (
    workbook_id TEXT PRIMARY KEY,
    state_hash TEXT NOT NULL,
    changed_at TEXT NOT NULL
  );
  `,
  // Issue 3, request form: one row per ticket's submission id (postgres-form-store.ts).
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
  // Issue 4, log integrity: a CRC-32 beside every stored blob (BIGINT: CRC-32 is unsigned), and the
  // snapshot before the last compaction. Log rows a snapshot contains are marked with its version
  // (compacted_in) and deleted at the next compaction, when that snapshot becomes the previous one:
  // the previous snapshot plus the log then still rebuild the document if the current one is damaged.
  `
  ALTER TABLE updates ADD COLUMN checksum BIGINT;
  ALTER TABLE updates ADD COLUMN compacted_in BIGINT;
  ALTER TABLE snapshots ADD COLUMN checksum BIGINT;
  ALTER TABLE snapshots ADD COLUMN previous_state BYTEA;
  ALTER TABLE snapshots ADD COLUMN previous_checksum BIGINT;
  `,
  // Issue 4, history and lifecycle (postgres-history-stores.ts): the audit log (values are JSON
  // text, NULL once erased by a purge), versions, retention schedule, purges under way.
  `
  CREATE TABLE audit_entries (
    id BIGSERIAL PRIMARY KEY,
    workbook_id TEXT NOT NULL,
    sheet_id TEXT NOT NULL,
    row_id TEXT NOT NULL,
    key TEXT NOT NULL,
    actor TEXT NOT NULL,
    via TEXT NOT NULL,
    at TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT,
    values_erased BOOLEAN NOT NULL DEFAULT FALSE
  );
  CREATE INDEX audit_entries_by_row ON audit_entries(workbook_id, sheet_id, row_id, id);
  CREATE TABLE versions (
    id BIGSERIAL PRIMARY KEY,
    workbook_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('auto', 'named', 'before-restore')),
    name TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state BYTEA NOT NULL,
    checksum BIGINT NOT NULL
  );
  CREATE INDEX versions_by_workbook ON versions(workbook_id, id);
  CREATE TABLE retention_checks (
    workbook_id TEXT PRIMARY KEY,
    next_check_at TEXT NOT NULL
  );
  CREATE TABLE purge_jobs (
    id BIGSERIAL PRIMARY KEY,
    workbook_id TEXT NOT NULL,
    sheet_id TEXT NOT NULL,
    row_id TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('private', 'row')),
    created_at TEXT NOT NULL
  );
  `,
  // The Yjs client ids the server writes under, per document, reused from one load to the next
  // (extensions/server-client-ids.ts): held while a load (of any instance) may write under it.
  `
  CREATE TABLE server_client_ids (
    doc_name TEXT NOT NULL,
    client_id BIGINT NOT NULL,
    held BOOLEAN NOT NULL,
    PRIMARY KEY (doc_name, client_id)
  );
  `,
  // Editor previews of each tab as of the last compaction (storage/doc-store.ts StoredPreviews),
  // valid while the snapshot version they were made with is the stored one and the log holds no
  // row outside it.
  `
  CREATE TABLE previews (
    doc_name TEXT NOT NULL,
    sheet_key TEXT NOT NULL,
    snapshot_version BIGINT NOT NULL,
    gzipped BYTEA NOT NULL,
    PRIMARY KEY (doc_name, sheet_key)
  );
  `,
];

/** The first key of this schema's two-key advisory locks; the second says what is locked. */
export const LOCK_NAMESPACE_SQL = "hashtext(coalesce(current_schema(), ''))";

/** Runs `fn` in one transaction on one pooled connection; rolls back if it throws. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    try {
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  } finally {
    client.release();
  }
}

/**
 * Brings the database to the newest schema; refuses a database written by a newer server.
 * Instances starting at the same time take turns through a transaction-scoped advisory lock, so
 * each migration runs exactly once.
 */
export async function migratePostgres(pool: Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE_SQL}, hashtext('huzhu-migrate'))`);
    await client.query("CREATE TABLE IF NOT EXISTS huzhu_schema_version (version INTEGER NOT NULL)");
    const { rows } = await client.query<{ version: number }>("SELECT version FROM huzhu_schema_version");
    let version = rows[0]?.version ?? 0;
    if (rows.length === 0) await client.query("INSERT INTO huzhu_schema_version (version) VALUES (0)");
    if (version > MIGRATIONS.length) {
      throw new Error(`The database has schema version ${version}, newer than this server knows (${MIGRATIONS.length}); upgrade Huzhu.`);
    }
    for (; version < MIGRATIONS.length; version += 1) {
      await client.query(MIGRATIONS[version] as string);
      await client.query("UPDATE huzhu_schema_version SET version = $1", [version + 1]);
    }
  });
}
