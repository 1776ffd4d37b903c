import type { AuditEntry, AuditStore, NewAuditEntry } from "./audit-store.ts";
import { checksumOf, matchesChecksum } from "./integrity.ts";
import type { LifecycleStore, PurgeJob, PurgeScope } from "./lifecycle-store.ts";
import { PostgresStoreBase, type SharedPool } from "./postgres-pool.ts";
import { inTransaction } from "./postgres-schema.ts";
import { toBytea } from "./postgres-store.ts";
import { type NewVersion, type StoredVersion, type VersionInfo, VersionKind, type VersionStore } from "./version-store.ts";

interface AuditRow {
  id: string;
  workbook_id: string;
  sheet_id: string;
  row_id: string;
  key: string;
  actor: string;
  via: string;
  at: string;
  before_value: string | null;
  after_value: string | null;
  values_erased: boolean;
}

/** The audit log on PostgreSQL (table `audit_entries`). */
export class PostgresAuditStore extends PostgresStoreBase implements AuditStore {
  async appendAuditEntries(entries: readonly NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // One statement for the batch: a multi-row insert is one transaction.
    const values: unknown[] = [];
    const tuples = entries.map((e, i) => {
      values.push(e.workbookId, e.sheetId, e.rowId, e.key, e.actor, e.via, e.at, e.before, e.after);
      const o = i * 9;
      return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}, $${o + 8}, $${o + 9})`;
    });
    await this.track(() =>
      this.pool.query(
        `INSERT INTO audit_entries (workbook_id, sheet_id, row_id, key, actor, via, at, before_value, after_value) VALUES ${tuples.join(", ")}`,
        values,
      ),
    );
  }

  async listRowHistory(
    workbookId: string,
    sheetId: string,
    rowId: string,
    { limit, beforeId }: { limit: number; beforeId?: number },
  ): Promise<AuditEntry[]> {
    const { rows } = await this.track(() =>
      this.pool.query<AuditRow>(
        `SELECT * FROM audit_entries WHERE workbook_id = $1 AND sheet_id = $2 AND row_id = $3 AND id < $4
         ORDER BY id DESC LIMIT $5`,
        [workbookId, sheetId, rowId, beforeId ?? Number.MAX_SAFE_INTEGER, limit],
      ),
    );
    return rows.map((row) => ({
      id: Number(row.id),
      workbookId: row.workbook_id,
      sheetId: row.sheet_id,
      rowId: row.row_id,
      key: row.key,
      actor: row.actor,
      via: row.via,
      at: row.at,
      before: row.before_value,
      after: row.after_value,
      valuesErased: row.values_erased,
    }));
  }

  async eraseRowValues(workbookId: string, sheetId: string, rowId: string, keys: readonly string[] | null): Promise<number> {
    const { rowCount } = await this.track(() =>
      this.pool.query(
        `UPDATE audit_entries SET before_value = NULL, after_value = NULL, values_erased = TRUE
         WHERE workbook_id = $1 AND sheet_id = $2 AND row_id = $3 AND NOT values_erased AND ($4::text[] IS NULL OR key = ANY($4::text[]))`,
        [workbookId, sheetId, rowId, keys],
      ),
    );
    return rowCount ?? 0;
  }
}

interface VersionRow {
  id: string;
  workbook_id: string;
  kind: string;
  name: string | null;
  created_by: string;
  created_at: string;
  byte_size: number;
}

function toInfo(row: VersionRow): VersionInfo {
  return {
    id: Number(row.id),
    workbookId: row.workbook_id,
    kind: row.kind as VersionKind,
    name: row.name,
    createdBy: row.created_by,
    createdAt: row.created_at,
    byteSize: Number(row.byte_size),
  };
}

const VERSION_INFO = "id, workbook_id, kind, name, created_by, created_at, octet_length(state) AS byte_size";

/** Versions on PostgreSQL (table `versions`). */
export class PostgresVersionStore extends PostgresStoreBase implements VersionStore {
  saveVersion(version: NewVersion, keepAuto?: number): Promise<VersionInfo> {
    return this.track(() =>
      inTransaction(this.pool, async (client) => {
        const { workbookId, kind, name, createdBy, createdAt, state } = version;
        const { rows } = await client.query<VersionRow>(
          `INSERT INTO versions (workbook_id, kind, name, created_by, created_at, state, checksum)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${VERSION_INFO}`,
          [workbookId, kind, name, createdBy, createdAt, toBytea(state), checksumOf(state)],
        );
        if (keepAuto !== undefined && kind === VersionKind.auto) {
          await client.query(
            `DELETE FROM versions WHERE workbook_id = $1 AND kind = 'auto' AND id NOT IN
             (SELECT id FROM versions WHERE workbook_id = $1 AND kind = 'auto' ORDER BY id DESC LIMIT $2)`,
            [workbookId, keepAuto],
          );
        }
        return toInfo(rows[0] as VersionRow);
      }),
    );
  }

  async listVersions(workbookId: string): Promise<VersionInfo[]> {
    const { rows } = await this.track(() =>
      this.pool.query<VersionRow>(`SELECT ${VERSION_INFO} FROM versions WHERE workbook_id = $1 ORDER BY id DESC`, [workbookId]),
    );
    return rows.map(toInfo);
  }

  async loadVersion(workbookId: string, versionId: number): Promise<StoredVersion | undefined> {
    const { rows } = await this.track(() =>
      this.pool.query<VersionRow & { state: Buffer; checksum: string }>(
        `SELECT ${VERSION_INFO}, state, checksum FROM versions WHERE workbook_id = $1 AND id = $2`,
        [workbookId, versionId],
      ),
    );
    const row = rows[0];
    if (!row) return undefined;
    const checksum = Number(row.checksum);
    if (!matchesChecksum(row.state, checksum)) throw new Error(`version ${versionId} of "${workbookId}" is damaged (checksum mismatch)`);
    return { ...toInfo(row), state: row.state, checksum };
  }

  rewriteVersions(workbookId: string, rewrite: (state: Uint8Array) => Uint8Array | null): Promise<number> {
    return this.track(() =>
      inTransaction(this.pool, async (client) => {
        const { rows } = await client.query<{ id: string; state: Buffer }>(
          "SELECT id, state FROM versions WHERE workbook_id = $1 ORDER BY id FOR UPDATE",
          [workbookId],
        );
        let rewritten = 0;
        for (const { id, state } of rows) {
          const next = rewrite(state);
          if (next === null) continue;
          await client.query("UPDATE versions SET state = $1, checksum = $2 WHERE id = $3", [toBytea(next), checksumOf(next), id]);
          rewritten += 1;
        }
        return rewritten;
      }),
    );
  }
}

interface JobRow {
  id: string;
  workbook_id: string;
  sheet_id: string;
  row_id: string;
  scope: string;
  created_at: string;
}

const toJob = (row: JobRow): PurgeJob => ({
  id: Number(row.id),
  workbookId: row.workbook_id,
  sheetId: row.sheet_id,
  rowId: row.row_id,
  scope: row.scope as PurgeScope,
  createdAt: row.created_at,
});

/** Tables whose rows can carry purged values, vacuumed after a purge. */
const SCRUBBED_TABLES = ["updates", "snapshots", "audit_entries", "versions"] as const;

/**
 * Lifecycle bookkeeping on PostgreSQL. Several instances may run the same retention check or
 * purge job at once; purging is idempotent, and finishing a job twice deletes nothing more.
 */
export class PostgresLifecycleStore extends PostgresStoreBase implements LifecycleStore {
  async setNextRetentionCheck(workbookId: string, at: string | null): Promise<void> {
    await this.track(() =>
      at === null
        ? this.pool.query("DELETE FROM retention_checks WHERE workbook_id = $1", [workbookId])
        : this.pool.query(
            `INSERT INTO retention_checks (workbook_id, next_check_at) VALUES ($1, $2)
             ON CONFLICT (workbook_id) DO UPDATE SET next_check_at = excluded.next_check_at`,
            [workbookId, at],
          ),
    );
  }

  async dueRetentionChecks(now: string): Promise<string[]> {
    const { rows } = await this.track(() =>
      this.pool.query<{ workbook_id: string }>(
        "SELECT workbook_id FROM retention_checks WHERE next_check_at <= $1 ORDER BY next_check_at",
        [now],
      ),
    );
    return rows.map((row) => row.workbook_id);
  }

  addPurgeJobs(jobs: readonly Omit<PurgeJob, "id">[]): Promise<PurgeJob[]> {
    return this.track(() =>
      inTransaction(this.pool, async (client) => {
        const added: PurgeJob[] = [];
        for (const job of jobs) {
          const { rows } = await client.query<JobRow>(
            "INSERT INTO purge_jobs (workbook_id, sheet_id, row_id, scope, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *",
            [job.workbookId, job.sheetId, job.rowId, job.scope, job.createdAt],
          );
          added.push(toJob(rows[0] as JobRow));
        }
        return added;
      }),
    );
  }

  async pendingPurgeJobs(): Promise<PurgeJob[]> {
    const { rows } = await this.track(() => this.pool.query<JobRow>("SELECT * FROM purge_jobs ORDER BY id"));
    return rows.map(toJob);
  }

  async finishPurgeJobs(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.track(() => this.pool.query("DELETE FROM purge_jobs WHERE id = ANY($1::bigint[])", [ids]));
  }

  /**
   * VACUUM FULL (when asked) rewrites the tables that can hold purged values into new files, so
   * dead row versions are gone from the database files; plain VACUUM only marks their space
   * reusable. PostgreSQL's WAL still holds the old values until the server recycles those
   * segments (after the next checkpoints); see docs/scale-out.md.
   */
  async scrubFreedSpace({ vacuum }: { vacuum: boolean }): Promise<void> {
    await this.track(() => this.pool.query(`VACUUM ${vacuum ? "FULL " : ""}${SCRUBBED_TABLES.join(", ")}`));
  }
}

/** The history stores on PostgreSQL, borrowing the server's pool (nobody closes them). */
export function postgresHistoryStores(shared: SharedPool) {
  const borrow = { holdsPool: false };
  return {
    audit: new PostgresAuditStore(shared, borrow),
    versions: new PostgresVersionStore(shared, borrow),
    lifecycle: new PostgresLifecycleStore(shared, borrow),
  };
}
