import type { PublicStateStore } from "./public-state-store.ts";
import type { SqliteGroupCommit } from "./sqlite-group-commit.ts";
import type { SqliteDocStore } from "./sqlite-store.ts";

/**
 * PublicStateStore on the server's SQLite database, whose migrations create its table. Its
 * write (a few times a second while editors work) joins the doc store's group commit instead of
 * committing, and waiting for the disk, on the event loop.
 */
export class SqlitePublicStateStore implements PublicStateStore {
  private readonly writes: SqliteGroupCommit;

  constructor(docs: Pick<SqliteDocStore, "writes">) {
    this.writes = docs.writes;
  }

  recordPublicState(workbookId: string, stateHash: string, at: Date): Promise<string> {
    return this.writes.write("recordPublicState", workbookId, stateHash, at.toISOString());
  }

  /** The doc store owns the connection; nothing to close here. */
  async close(): Promise<void> {}
}
