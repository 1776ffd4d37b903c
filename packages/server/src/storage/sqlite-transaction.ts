import type { DatabaseSync } from "node:sqlite";

/** Runs `fn` in one SQLite transaction (IMMEDIATE takes the write lock up front), rolling back on a throw. */
export function sqliteTransaction<T>(db: DatabaseSync, fn: () => T, mode: "IMMEDIATE" | "DEFERRED" = "IMMEDIATE"): T {
  db.exec(`BEGIN ${mode}`);
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
