import type { DatabaseSync } from "node:sqlite";
import type { PublicStateStore } from "./public-state-store.ts";

/**
 * PublicStateStore on the server's SQLite database, through the doc store's connection
 * (`SqliteDocStore.database`), whose migrations create its table.
 */
export class SqlitePublicStateStore implements PublicStateStore {
  private readonly db: DatabaseSync;
  private readonly statements;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.statements = {
      upsert: this.db.prepare(
        `INSERT INTO public_states (workbook_id, state_hash, changed_at) VALUES (?, ?, ?)
         ON CONFLICT (workbook_id) DO UPDATE SET state_hash = excluded.state_hash, changed_at = excluded.changed_at
         WHERE public_states.state_hash <> excluded.state_hash`,
      ),
      read: this.db.prepare("SELECT changed_at FROM public_states WHERE workbook_id = ?"),
    };
  }

  async recordPublicState(workbookId: string, stateHash: string, at: Date): Promise<string> {
    this.statements.upsert.run(workbookId, stateHash, at.toISOString());
    return (this.statements.read.get(workbookId) as { changed_at: string }).changed_at;
  }

  /** The doc store owns the connection; nothing to close here. */
  async close(): Promise<void> {}
}
