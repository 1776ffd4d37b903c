import type { DatabaseSync } from "node:sqlite";
import type { LifecycleStore, PurgeJob, PurgeScope } from "./lifecycle-store.ts";
import { sqliteTransaction } from "./sqlite-transaction.ts";

interface JobRow {
  id: number;
  workbook_id: string;
  sheet_id: string;
  row_id: string;
  scope: string;
  created_at: string;
}

const toJob = (row: JobRow): PurgeJob => ({
  id: row.id,
  workbookId: row.workbook_id,
  sheetId: row.sheet_id,
  rowId: row.row_id,
  scope: row.scope as PurgeScope,
  createdAt: row.created_at,
});

/**
 * Lifecycle bookkeeping in the server's SQLite database. Turns on `secure_delete` for the shared
 * connection, so every delete and update (compaction, purge) overwrites the freed content with
 * zeros, and keeps temporary tables in memory, so VACUUM leaves no copy in temporary files.
 */
export class SqliteLifecycleStore implements LifecycleStore {
  private readonly db: DatabaseSync;
  private readonly statements;

  constructor(db: DatabaseSync) {
    this.db = db;
    db.exec("PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;");
    this.statements = {
      setCheck: db.prepare(
        `INSERT INTO retention_checks (workbook_id, next_check_at) VALUES (?, ?)
         ON CONFLICT (workbook_id) DO UPDATE SET next_check_at = excluded.next_check_at`,
      ),
      clearCheck: db.prepare("DELETE FROM retention_checks WHERE workbook_id = ?"),
      dueChecks: db.prepare("SELECT workbook_id FROM retention_checks WHERE next_check_at <= ? ORDER BY next_check_at"),
      addJob: db.prepare("INSERT INTO purge_jobs (workbook_id, sheet_id, row_id, scope, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *"),
      pending: db.prepare("SELECT * FROM purge_jobs ORDER BY id"),
      finish: db.prepare("DELETE FROM purge_jobs WHERE id = ?"),
    };
  }

  async setNextRetentionCheck(workbookId: string, at: string | null): Promise<void> {
    if (at === null) this.statements.clearCheck.run(workbookId);
    else this.statements.setCheck.run(workbookId, at);
  }

  async dueRetentionChecks(now: string): Promise<string[]> {
    return (this.statements.dueChecks.all(now) as { workbook_id: string }[]).map((row) => row.workbook_id);
  }

  async addPurgeJobs(jobs: readonly Omit<PurgeJob, "id">[]): Promise<PurgeJob[]> {
    return sqliteTransaction(this.db, () =>
      jobs.map((job) =>
        toJob(this.statements.addJob.get(job.workbookId, job.sheetId, job.rowId, job.scope, job.createdAt) as unknown as JobRow),
      ),
    );
  }

  async pendingPurgeJobs(): Promise<PurgeJob[]> {
    return (this.statements.pending.all() as unknown as JobRow[]).map(toJob);
  }

  async finishPurgeJobs(ids: readonly number[]): Promise<void> {
    sqliteTransaction(this.db, () => {
      for (const id of ids) this.statements.finish.run(id);
    });
  }

  async scrubFreedSpace({ vacuum }: { vacuum: boolean }): Promise<void> {
    if (vacuum) this.db.exec("VACUUM");
    this.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
}
