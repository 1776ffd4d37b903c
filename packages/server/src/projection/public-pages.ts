import { createHash } from "node:crypto";
import { ColumnType, type PublicWorkbook } from "@huzhu/schema";
import { renderPublicPage } from "../public-view/render-page.ts";

/** A strong ETag for `body`: its SHA-256, quoted. */
export function strongEtag(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url")}"`;
}

/** A rendered public page and its strong ETag. */
export interface RenderedPage {
  readonly html: string;
  readonly etag: string;
}

/** What a page request asks for (the query of `/p/<token>`). */
export interface PageQuery {
  readonly sheetId: string | undefined;
  readonly query: string | undefined;
  readonly page: number | undefined;
}

/** Distinct query variants kept per version; searches beyond that are rendered each time. */
const MAX_PAGES = 64;

function nextChatGroupExpiry(view: PublicWorkbook, now: number): number | null {
  let next: number | null = null;
  for (const sheet of view.sheets) {
    const columns = sheet.columns.filter((column) => column.type === ColumnType.chatGroup);
    for (const row of sheet.rows) {
      for (const column of columns) {
        const value = row.cells[column.id] as { expiresAt?: unknown } | null | undefined;
        const at = typeof value?.expiresAt === "string" ? Date.parse(value.expiresAt) : Number.NaN;
        if (at > now && (next === null || at < next)) next = at;
      }
    }
  }
  return next;
}

/**
 * Rendered pages of one projection version, by query. A page depends on the view, the query and
 * one more thing: whether each chat group's link has expired (an expired one shows no QR code). So
 * the cache is also emptied when the next chat-group expiry passes.
 */
export class PageCache {
  private readonly pages = new Map<string, RenderedPage>();
  /** Undefined until the first page is asked for (most versions are never rendered). */
  private validUntil: number | null | undefined;
  private readonly view: PublicWorkbook;
  private readonly updatedAt: Date;

  constructor(view: PublicWorkbook, updatedAt: Date) {
    this.view = view;
    this.updatedAt = updatedAt;
  }

  /** The page for `query`, rendered at most once per version (and expiry window). */
  async page(basePath: string, query: PageQuery, liveScript: string | null, now = Date.now()): Promise<RenderedPage> {
    if (this.validUntil === undefined) this.validUntil = nextChatGroupExpiry(this.view, now);
    else if (this.validUntil !== null && now >= this.validUntil) {
      this.pages.clear();
      this.validUntil = nextChatGroupExpiry(this.view, now);
    }
    const key = JSON.stringify([basePath, query.sheetId ?? "", query.query ?? "", query.page ?? 1]);
    const cached = this.pages.get(key);
    if (cached) return cached;
    const html = await renderPublicPage(this.view, { basePath, ...query, updatedAt: this.updatedAt, liveScript });
    const page = { html, etag: strongEtag(html) };
    if (this.pages.size < MAX_PAGES) this.pages.set(key, page);
    return page;
  }
}
