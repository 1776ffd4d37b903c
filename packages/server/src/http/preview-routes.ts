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
        const connection = await deps.hocuspocus.openDirectConnection(workbookId, PREVIEW_READER);
        const serializing = deps.previews.gzipped(connection.document as Document, url.searchParams.get("sheet"));
        deps.holds.hold(connection, HOLD_MS);
        const gzipped = await serializing;
        const compress = acceptsGzip(req);
        const bytes = compress ? gzipped : await gunzipAsync(gzipped);
        sendEncoded(
          req,
          res,
          { bytes, gzipped: compress, contentType: "application/json; charset=utf-8" },
          { "Cache-Control": "no-store" },
        );
      },
    },
  ];
}
