import type { DatabaseSync } from "node:sqlite";
import { sqliteTransaction } from "./sqlite-transaction.ts";

/** A write waiting for its turn's transaction. */
interface QueuedWrite {
  readonly write: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for one SQLite database: the writes asked for in one event-loop turn (every
 * message and request read from the sockets in one poll) run in one transaction, so they share
 * one fsync. With `synchronous = FULL` a commit costs far more than the statements in it; one per
 * write capped the request form at ~100 submissions a second (bench/README.md).
 *
 * Each write runs in a savepoint of its own: one that throws is rolled back alone and rejects
 * alone. Each caller's promise settles once the whole transaction is on disk; if the commit
 * fails, every write in it fails.
 */
export class SqliteGroupCommit {
  private readonly db: DatabaseSync;
  private queued: QueuedWrite[] = [];

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** Runs `write` (synchronous statements) in this turn's transaction; resolves with its result once committed. */
  write<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (this.queued.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Commits what is queued now (also used before the database closes). */
  flush(): void {
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    let outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[];
    try {
      outcomes = sqliteTransaction(this.db, () => batch.map(({ write }) => this.inSavepoint(write)));
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    for (const [i, { resolve, reject }] of batch.entries()) {
      const outcome = outcomes[i];
      if (outcome?.ok) resolve(outcome.value);
      else reject(outcome?.error);
    }
  }

  private inSavepoint(write: () => unknown): { ok: true; value: unknown } | { ok: false; error: unknown } {
    this.db.exec("SAVEPOINT queued_write");
    try {
      const value = write();
      this.db.exec("RELEASE queued_write");
      return { ok: true, value };
    } catch (error) {
      this.db.exec("ROLLBACK TO queued_write; RELEASE queued_write");
      return { ok: false, error };
    }
  }
}
