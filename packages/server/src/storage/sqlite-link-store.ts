import type { DatabaseSync } from "node:sqlite";
import type { LinkRecord } from "./doc-store.ts";
import type { LinkStore } from "./link-store.ts";
import { type LinkRow, toLink } from "./sqlite-store.ts";

/**
 * LinkStore on the server's SQLite database, through the doc store's connection
 * (`SqliteDocStore.database`), whose `links` table it reads and revokes in.
 */
export class SqliteLinkStore implements LinkStore {
  private readonly db: DatabaseSync;
  private readonly statements;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.statements = {
      list: this.db.prepare("SELECT * FROM links WHERE workbook_id = ? ORDER BY created_at, id"),
      find: this.db.prepare("SELECT * FROM links WHERE id = ?"),
      revoke: this.db.prepare("UPDATE links SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? AND workbook_id = ?"),
    };
  }

  async listLinks(workbookId: string): Promise<readonly LinkRecord[]> {
    return (this.statements.list.all(workbookId) as unknown as LinkRow[]).map(toLink);
  }

  async findLinkById(linkId: string): Promise<LinkRecord | undefined> {
    const row = this.statements.find.get(linkId) as LinkRow | undefined;
    return row && toLink(row);
  }

  async revokeLink(workbookId: string, linkId: string, at: Date): Promise<LinkRecord | undefined> {
    this.statements.revoke.run(at.toISOString(), linkId, workbookId);
    const link = await this.findLinkById(linkId);
    return link?.workbookId === workbookId ? link : undefined;
  }

  /** The doc store owns the connection; nothing to close here. */
  async close(): Promise<void> {}
}
