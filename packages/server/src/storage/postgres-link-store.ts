import type { LinkRecord } from "./doc-store.ts";
import type { LinkStore } from "./link-store.ts";
import { PostgresStoreBase } from "./postgres-pool.ts";
import { type LinkRow, toLink } from "./sqlite-store.ts";

/** LinkStore on PostgreSQL (DATABASE_URL), over the `links` table PostgresDocStore writes. */
export class PostgresLinkStore extends PostgresStoreBase implements LinkStore {
  async listLinks(workbookId: string): Promise<readonly LinkRecord[]> {
    const { rows } = await this.track(() =>
      this.pool.query<LinkRow>("SELECT * FROM links WHERE workbook_id = $1 ORDER BY created_at, id", [workbookId]),
    );
    return rows.map(toLink);
  }

  async findLinkById(linkId: string): Promise<LinkRecord | undefined> {
    const { rows } = await this.track(() => this.pool.query<LinkRow>("SELECT * FROM links WHERE id = $1", [linkId]));
    return rows[0] && toLink(rows[0]);
  }

  async revokeLink(workbookId: string, linkId: string, at: Date): Promise<LinkRecord | undefined> {
    const { rows } = await this.track(() =>
      this.pool.query<LinkRow>("UPDATE links SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2 AND workbook_id = $3 RETURNING *", [
        at.toISOString(),
        linkId,
        workbookId,
      ]),
    );
    return rows[0] && toLink(rows[0]);
  }
}
