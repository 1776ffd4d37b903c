import { type WorkbookSession, isWorkbookId } from "@huzhu/schema";
import { publicDocumentName } from "../collab/document-names.ts";
import { resolveToken, verifyLink } from "../links.ts";
import { type DocStore, type LinkRecord, LinkRole } from "../storage/doc-store.ts";
import { secretsEqual } from "../tokens.ts";
import type { CreatedWorkbook, WorkbookUrls } from "../workbooks.ts";
import { HttpError, sendJson } from "./errors.ts";
import { bearerToken, readJson } from "./request.ts";
import type { Route } from "./router.ts";

/** What the API routes need from the composition root. */
export interface ApiDependencies {
  readonly store: DocStore;
  readonly urls: WorkbookUrls;
  readonly adminToken: string;
  readonly createWorkbook: (body: unknown) => Promise<CreatedWorkbook>;
}

export type { WorkbookSession } from "@huzhu/schema";

/** The session of a working link. */
export function sessionFor(link: LinkRecord, collabUrl: string): WorkbookSession {
  const publicName = publicDocumentName(link.workbookId);
  const documentName = link.role === LinkRole.public ? publicName : link.role === LinkRole.form ? null : link.workbookId;
  const { workbookId, role, label, color } = link;
  return { workbookId, role, label, color, documentName, publicDocumentName: publicName, collabUrl };
}

const invalidToken = (code: string, message: string) => new HttpError(401, code, message, { headers: { "WWW-Authenticate": "Bearer" } });

/** The JSON API: health, workbook creation (admin) and the session behind a link. */
export function apiRoutes(deps: ApiDependencies): Route[] {
  return [
    {
      method: "GET",
      path: "/healthz",
      handle: ({ res }) => sendJson(res, 200, { ok: true }),
    },
    {
      method: "POST",
      path: "/api/workbooks",
      async handle({ req, res }) {
        if (!secretsEqual(bearerToken(req), deps.adminToken)) throw invalidToken("invalid_token", "the admin token is not valid");
        const created = await deps.createWorkbook(await readJson(req));
        sendJson(res, 201, created, { Location: `/api/workbooks/${created.id}` });
      },
    },
    {
      method: "GET",
      path: "/api/workbooks/:id/session",
      async handle({ req, res, params }) {
        const id = params["id"] ?? "";
        // Checked before storage, like document names on the WebSocket.
        if (!isWorkbookId(id)) throw new HttpError(404, "not_found", "no such workbook");
        const result = await verifyLink(deps.store, id, bearerToken(req));
        if (!result.ok) throw invalidToken(result.refusal.replaceAll("-", "_"), "this link is not valid for this workbook");
        sendJson(res, 200, sessionFor(result.link, deps.urls.collabUrl));
      },
    },
    {
      // The same without knowing the workbook: for pages whose link carries only the token (/p/, /f/).
      method: "GET",
      path: "/api/session",
      async handle({ req, res }) {
        const result = await resolveToken(deps.store, bearerToken(req));
        if (!result.ok) throw invalidToken(result.refusal.replaceAll("-", "_"), "this link is not valid");
        sendJson(res, 200, sessionFor(result.link, deps.urls.collabUrl));
      },
    },
  ];
}
