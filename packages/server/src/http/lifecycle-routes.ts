import { type RowId, type SheetId, isId } from "@huzhu/schema";
import { z } from "zod";
import { linkWrite } from "../history/attribution.ts";
import type { PurgeService } from "../lifecycle/purge.ts";
import { LinkRole } from "../storage/doc-store.ts";
import { PurgeScope } from "../storage/lifecycle-store.ts";
import type { StorageHealth } from "../storage/storage-health.ts";
import { secretsEqual } from "../tokens.ts";
import { type AccessDependencies, authorize } from "./access.ts";
import { HttpError, sendJson } from "./errors.ts";
import { bearerToken, readJson } from "./request.ts";
import type { Route } from "./router.ts";

/** What the lifecycle routes need. */
export interface LifecycleRouteDependencies extends AccessDependencies {
  readonly purge: PurgeService;
  readonly health: StorageHealth;
  /** Counters of the dependency gate (updates deferred to the handshake, refused). */
  readonly dependencyGate: { readonly deferred: number; readonly refused: number };
}

/** Body of `POST …/rows/:sheetId/:rowId/purge` (optional). */
export const PurgeRequest = z.strictObject({
  /** "private" (default): the row's private cells; "row": the whole row, removed for good. */
  scope: z.enum([PurgeScope.privateCells, PurgeScope.row]).default(PurgeScope.privateCells),
});

/** Admin purge of a row now, and the server's storage status. */
export function lifecycleRoutes(deps: LifecycleRouteDependencies): Route[] {
  return [
    {
      method: "POST",
      path: "/api/workbooks/:id/rows/:sheetId/:rowId/purge",
      async handle({ req, res, params }) {
        const workbookId = params["id"] ?? "";
        const caller = await authorize(deps, req, workbookId, [LinkRole.admin]);
        const sheetId = params["sheetId"] ?? "";
        const rowId = params["rowId"] ?? "";
        if (!isId(sheetId) || rowId.length === 0 || rowId.length > 64) throw new HttpError(404, "not_found", "no such row");
        const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
        const { scope } = PurgeRequest.parse(hasBody ? await readJson(req) : {});
        const result = await deps.purge.purge(
          workbookId,
          [{ sheetId: sheetId as SheetId, rowId: rowId as RowId, scope }],
          linkWrite(caller.label, "purge"),
        );
        sendJson(res, 200, { scope, ...result });
      },
    },
    {
      method: "GET",
      path: "/api/status",
      async handle({ req, res }) {
        if (!secretsEqual(bearerToken(req), deps.adminToken)) {
          throw new HttpError(401, "invalid_token", "the admin token is not valid", { headers: { "WWW-Authenticate": "Bearer" } });
        }
        sendJson(res, 200, {
          storage: { status: deps.health.status, damagedDocuments: deps.health.list() },
          updates: { deferredToHandshake: deps.dependencyGate.deferred, refusedMissingDependencies: deps.dependencyGate.refused },
        });
      },
    },
  ];
}
