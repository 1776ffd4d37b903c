import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { Document, Hocuspocus } from "@hocuspocus/server";
import { systemWrite } from "../history/attribution.ts";
import type { DocumentHolds } from "../preview/document-holds.ts";
import type { PreviewCache } from "../preview/editor-preview.ts";
import { type AccessDependencies, EDITING_ROLES, authorize } from "./access.ts";
import { acceptsGzip, sendEncoded } from "./compression.ts";
import type { Route } from "./router.ts";

/** What the preview route needs. */
export interface PreviewRouteDependencies extends AccessDependencies {
  readonly hocuspocus: Hocuspocus;
  readonly previews: PreviewCache;
  readonly holds: DocumentHolds;
  /** Whether everything a loaded document holds is in storage now (Persistence.holdsOnlyStored). */
  readonly holdsOnlyStored: (document: Document) => boolean;
}

/**
 * How long the document stays loaded for the page that asked for a preview: it opens its
 * WebSocket once the preview is on screen, and should find the document still loaded, not
 * stored away and loaded a second time.
 */
const HOLD_MS = 20_000;

const PREVIEW_READER = systemWrite("preview");
const gunzipAsync = promisify(gunzip);

/**
 * The preview the last compaction stored, if nothing changed the workbook since. Not loaded (the
 * server was restarted, or nobody used it for a while; it may be loading), it is not loaded for
 * this: a 30,000-row workbook takes the event loop a second or more to load, and the page's
 * session, scripts and this very answer would wait for it (measured: the page's scripts arrived
 * 2.2 s late); the page's WebSocket, opened once the rows are on screen, loads it. Loaded, and
 * holding nothing storage lacks, the stored preview is what a live one would show, without
 * building it on the event loop (a quarter of a second for 30,000 rows) and compressing it.
 */
async function storedPreview(deps: PreviewRouteDependencies, workbookId: string, sheetId: string | null): Promise<Buffer | undefined> {
  // Storage then says whether the preview still shows the workbook.
  const loaded = deps.hocuspocus.documents.get(workbookId);
  if (loaded && !deps.holdsOnlyStored(loaded)) return undefined;
  const stored = await deps.store.storedPreview(workbookId, sheetId ?? "");
  return stored && Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
}

/** The preview of the loaded workbook (loaded for it if need be), which stays loaded a while. */
async function livePreview(deps: PreviewRouteDependencies, workbookId: string, sheetId: string | null): Promise<Buffer> {
  const connection = await deps.hocuspocus.openDirectConnection(workbookId, PREVIEW_READER);
  const serializing = deps.previews.gzipped(connection.document as Document, sheetId);
  deps.holds.hold(connection, HOLD_MS);
  return serializing;
}

/**
 * `GET /api/workbooks/:id/preview?sheet=<id>`: one tab of the workbook as JSON for admin and editor
 * links (who receive the whole document over the WebSocket anyway), so a large workbook is on
 * screen before its live copy has arrived. Never cached by the browser: it holds personal data.
 */
export function previewRoutes(deps: PreviewRouteDependencies): Route[] {
  return [
    {
      method: "GET",
      path: "/api/workbooks/:id/preview",
      async handle({ req, res, params, url }) {
        const workbookId = params["id"] ?? "";
        await authorize(deps, req, workbookId, EDITING_ROLES);
        const sheetId = url.searchParams.get("sheet");
        const stored = await storedPreview(deps, workbookId, sheetId);
        const gzipped = stored ?? (await livePreview(deps, workbookId, sheetId));
        const compress = acceptsGzip(req);
        const bytes = compress ? gzipped : await gunzipAsync(gzipped);
        sendEncoded(
          req,
          res,
          { bytes, gzipped: compress, contentType: "application/json; charset=utf-8" },
          // Which one it was: for operators, tests and the benchmark.
          { "Cache-Control": "no-store", "Huzhu-Preview": stored ? "stored" : "live" },
        );
      },
    },
  ];
}
