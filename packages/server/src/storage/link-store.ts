import type { LinkRecord } from "./doc-store.ts";

/**
 * Managing a workbook's capability links: listing, finding by id and revoking. Links are created
 * and looked up by token through DocStore (they share its `links` table); this interface adds
 * what the admin API and the link watch need. SQLite implementation: sqlite-link-store.ts; a
 * PostgreSQL one belongs beside postgres-store.ts.
 */
export interface LinkStore {
  /** Every link of a workbook, oldest first, revoked and expired ones included. */
  listLinks(workbookId: string): Promise<readonly LinkRecord[]>;
  /** A link by its id, whatever its workbook. */
  findLinkById(linkId: string): Promise<LinkRecord | undefined>;
  /**
   * Marks a link of `workbookId` revoked at `at`, unless it already is (an earlier revocation
   * stays). Returns the link as stored afterwards, or undefined when the workbook has no such link.
   */
  revokeLink(workbookId: string, linkId: string, at: Date): Promise<LinkRecord | undefined>;
  /** No method may be called afterwards. */
  close(): Promise<void>;
}
