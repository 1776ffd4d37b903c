import type { IncomingMessage, ServerResponse } from "node:http";
import { resolveToken } from "../links.ts";
import type { PageQuery } from "../projection/public-pages.ts";
import type { PublicProjections } from "../projection/public-projections.ts";
import { html, trusted } from "../public-view/html.ts";
import { PUBLIC_PAGE_CSS } from "../public-view/style.ts";
import { type DocStore, LinkRole } from "../storage/doc-store.ts";
import { MIN_COMPRESSED_BYTES, acceptsGzip, gzipOnce, sendEncoded } from "./compression.ts";
import { HttpError } from "./errors.ts";
import type { Route } from "./router.ts";

/** What the public routes need from the composition root. */
export interface PublicRouteDependencies {
  readonly store: DocStore;
  readonly projections: PublicProjections;
  /** Module script the page loads to go live (the client's build), or null while there is none. */
  readonly liveScript: string | null;
}

/**
 * Fresh for 5 s, then served stale for up to 30 s while a cache revalidates. Public pages are
 * read by many people at once (a link shared in group chats): browsers and any shared cache in
 * front absorb repeat reads, revalidation is a cheap 304, and the page is never more than a few
 * seconds behind the live document (viewers with scripts get live updates anyway). A revoked
 * link therefore stops working in shared caches within 35 s.
 */
export const PUBLIC_CACHE_CONTROL = "public, max-age=5, stale-while-revalidate=30";

const JSON_SUFFIX = ".json";

/** Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks for it). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}

/**
 * Answers with `body` or 304. A gzipped answer carries the weak form of the ETag (as nginx does):
 * the same content, other bytes; If-None-Match compares weakly, so either form revalidates.
 */
async function sendCached(req: IncomingMessage, res: ServerResponse, body: string, etag: string, contentType: string): Promise<void> {
  // String length, not byte length: O(1), and a body of that many UTF-16 units has at least as many bytes.
  const compress = body.length >= MIN_COMPRESSED_BYTES && acceptsGzip(req);
  const headers = {
    ETag: compress ? `W/${etag}` : etag,
    "Cache-Control": PUBLIC_CACHE_CONTROL,
    "X-Robots-Tag": "noindex",
    Vary: "Accept-Encoding",
  };
  if (etagMatches(req.headers["if-none-match"], etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const bytes = compress ? await gzipOnce(etag, body) : Buffer.from(body);
  sendEncoded(req, res, { bytes, gzipped: compress, contentType }, headers);
}

function notFoundPage(req: IncomingMessage, res: ServerResponse): void {
  const page =
    html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>链接无效</title><style>${trusted(PUBLIC_PAGE_CSS)}</style></head>
<body><header><h1>此链接无效</h1></header><main><p>这个公开页面的链接不存在、已过期或已被撤销。</p><p>请向分享链接给你的志愿者或协调人索取最新的链接。</p></main><footer>互助 Huzhu</footer></body></html>`
      .value;
  res.writeHead(404, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(page),
    "Cache-Control": "no-store",
  });
  res.end(req.method === "HEAD" ? undefined : page);
}

function readQuery(url: URL): PageQuery {
  const page = Number.parseInt(url.searchParams.get("page") ?? "", 10);
  return {
    sheetId: url.searchParams.get("sheet")?.slice(0, 64) || undefined,
    query: url.searchParams.get("q")?.slice(0, 100) || undefined,
    page: Number.isSafeInteger(page) && page >= 1 ? Math.min(page, 100_000) : undefined,
  };
}

/**
 * `GET /p/<public token>`: the public view as a server-rendered page (query `sheet`, `q`, `page`),
 * and `GET /p/<public token>.json`: the same view as JSON. Both carry a strong ETag (the SHA-256 of
 * the body) and answer a matching If-None-Match with 304. Only live public links open them; any
 * other token (unknown, revoked, expired, or of another role) gets the same 404.
 */
export function publicRoutes(deps: PublicRouteDependencies): Route[] {
  return [
    {
      method: "GET",
      path: "/p/:token",
      async handle({ req, res, params, url }) {
        const raw = params["token"] ?? "";
        const asJson = raw.endsWith(JSON_SUFFIX);
        const token = asJson ? raw.slice(0, -JSON_SUFFIX.length) : raw;
        const result = await resolveToken(deps.store, token);
        if (!result.ok || result.link.role !== LinkRole.public) {
          if (asJson)
            throw new HttpError(404, "not_found", "no public view at this link: it does not exist, expired or was revoked", {
              messageZh: "这个公开页面的链接不存在、已过期或已被撤销。",
            });
          notFoundPage(req, res);
          return;
        }
        const version = await deps.projections.read(result.link.workbookId);
        if (asJson) {
          await sendCached(req, res, version.json, version.etag, "application/json; charset=utf-8");
          return;
        }
        const page = await version.pages.page(`/p/${token}`, readQuery(url), deps.liveScript);
        await sendCached(req, res, page.html, page.etag, "text/html; charset=utf-8");
      },
    },
  ];
}
