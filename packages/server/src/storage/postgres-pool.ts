import pg from "pg";
import { migratePostgres } from "./postgres-schema.ts";

/**
 * One connection pool on DATABASE_URL, shared by every PostgreSQL store of a server. Each store
 * holds it while open; the pool ends when the last one lets go.
 */
export class SharedPool {
  readonly pool: pg.Pool;
  private holders = 0;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  /** Connects and brings the schema up to date (see postgres-schema.ts). */
  static async open(connectionString: string): Promise<SharedPool> {
    const pool = new pg.Pool({ connectionString, max: 10, allowExitOnIdle: true });
    // An idle client losing its connection (database restart) must not crash the process; the
    // pool replaces it on the next query.
    pool.on("error", () => {});
    try {
      await migratePostgres(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new SharedPool(pool);
  }

  /** Registers a user of the pool; the returned function lets go (once). */
  hold(): () => Promise<void> {
    this.holders += 1;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.holders -= 1;
      if (this.holders === 0) await this.pool.end();
    };
  }
}

/**
 * What every PostgreSQL store shares: its hold on the pool and the writes it has under way, so
 * `close()` lets them finish before letting go.
 */
export class PostgresStoreBase {
  protected readonly pool: pg.Pool;
  private readonly release: () => Promise<void>;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  /**
   * `holdsPool: false` for stores nobody closes (they borrow the pool; the stores that hold it
   * end it, after their own writes, at shutdown).
   */
  constructor(shared: SharedPool, { holdsPool = true }: { holdsPool?: boolean } = {}) {
    this.pool = shared.pool;
    this.release = holdsPool ? shared.hold() : async () => {};
  }

  /** Counts `work` as under way until it settles; refuses new work once closed. */
  protected track<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the PostgreSQL store is closed"));
    const running = work();
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  /** Waits for writes under way, then lets go of the pool. No method may be called afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await this.release();
  }
}
