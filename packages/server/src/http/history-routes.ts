import { type HistoryEntry, type HistoryEvent, type RowId, type SheetId, isId } from "@huzhu/schema";
import { z } from "zod";
import { NotStoredError, type VersionService } from "../history/versions.ts";
import type { AuditEntry, AuditStore } from "../storage/audit-store.ts";
import { type AccessDependencies, EDITING_ROLES, authorize } from "./access.ts";
import { HttpError, sendJson } from "./errors.ts";
import { readJson } from "./request.ts";
import type { Route } from "./router.ts";

/** What the history routes need. */
export interface HistoryRouteDependencies extends AccessDependencies {
  readonly audit: AuditStore;
  readonly versions: VersionService;
  /** Resolves once audit entries collected so far are stored (so a history read includes them). */
  readonly auditFlushed: () => Promise<void>;
}

/** Body of `POST /api/workbooks/:id/versions`. */
export const CreateVersionRequest = z.strictObject({ name: z.string().trim().min(1).max(100) });

/** Body of `POST /api/workbooks/:id/versions/:vid/restore`: nothing for the whole workbook. */
export const RestoreRequest = z
  .strictObject({ sheetId: z.string().refine(isId, "not a sheet id").optional(), rowId: z.string().min(1).max(64).optional() })
  .refine((body) => !body.rowId || body.sheetId, { message: "rowId needs sheetId", path: ["sheetId"] });

function eventOf(entry: AuditEntry): HistoryEvent {
  const set = entry.after !== null;
  switch (entry.key) {
    case "":
      return "removed";
    case "$createdAt":
      return "created";
    case "$deletedAt":
      return set ? "trashed" : "untrashed";
    case "$closedAt":
      return set ? "closed" : "reopened";
    case "$purgedAt":
      return "purged";
    default:
      return entry.key.startsWith("$") ? "other" : "cell";
  }
}

function toHistoryEntry(entry: AuditEntry): HistoryEntry {
  const event = eventOf(entry);
  return {
    id: entry.id,
    at: entry.at,
    actor: entry.actor,
    via: entry.via,
    event,
    columnId: event === "cell" ? entry.key : null,
    ...(entry.before !== null ? { before: JSON.parse(entry.before) as unknown } : {}),
    ...(entry.after !== null ? { after: JSON.parse(entry.after) as unknown } : {}),
    valuesErased: entry.valuesErased,
  };
}

function versionId(params: Readonly<Record<string, string>>): number {
  const id = Number(params["vid"]);
  if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(404, "not_found", "no such version");
  return id;
}

const noVersion = () => new HttpError(404, "not_found", "no such version of this workbook");

/**
 * Row history (audit log) and versions: list, save a named one, view one read-only, restore a
 * workbook, sheet or row from one. Admin and editor links only.
 */
export function historyRoutes(deps: HistoryRouteDependencies): Route[] {
  return [
    {
      method: "GET",
      path: "/api/workbooks/:id/rows/:sheetId/:rowId/history",
      async handle({ req, res, params, url }) {
        const workbookId = params["id"] ?? "";
        await authorize(deps, req, workbookId, EDITING_ROLES);
        const limit = Math.min(Math.max(Number(url.searchParams.get("limit") ?? 100) || 100, 1), 500);
        const before = Number(url.searchParams.get("before") ?? Number.NaN);
        await deps.auditFlushed();
        const entries = await deps.audit.listRowHistory(workbookId, params["sheetId"] ?? "", params["rowId"] ?? "", {
          limit: limit + 1,
          ...(Number.isSafeInteger(before) ? { beforeId: before } : {}),
        });
        const page = entries.slice(0, limit).map(toHistoryEntry);
        sendJson(res, 200, { entries: page, next: entries.length > limit ? (page.at(-1)?.id ?? null) : null });
      },
    },
    {
      method: "GET",
      path: "/api/workbooks/:id/versions",
      async handle({ req, res, params }) {
        const workbookId = params["id"] ?? "";
        await authorize(deps, req, workbookId, EDITING_ROLES);
        sendJson(res, 200, { versions: await deps.versions.list(workbookId) });
      },
    },
    {
      method: "POST",
      path: "/api/workbooks/:id/versions",
      async handle({ req, res, params }) {
        const workbookId = params["id"] ?? "";
        const caller = await authorize(deps, req, workbookId, EDITING_ROLES);
        const { name } = CreateVersionRequest.parse(await readJson(req));
        const version = await deps.versions.saveNamed(workbookId, name, caller.label);
        sendJson(res, 201, version, { Location: `/api/workbooks/${workbookId}/versions/${version.id}` });
      },
    },
    {
      method: "GET",
      path: "/api/workbooks/:id/versions/:vid",
      async handle({ req, res, params }) {
        const workbookId = params["id"] ?? "";
        await authorize(deps, req, workbookId, EDITING_ROLES);
        const view = await deps.versions.view(workbookId, versionId(params));
        if (!view) throw noVersion();
        sendJson(res, 200, view);
      },
    },
    {
      method: "POST",
      path: "/api/workbooks/:id/versions/:vid/restore",
      async handle({ req, res, params }) {
        const workbookId = params["id"] ?? "";
        const caller = await authorize(deps, req, workbookId, EDITING_ROLES);
        const vid = versionId(params);
        const raw = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] ? await readJson(req) : {};
        const body = RestoreRequest.parse(raw);
        const scope = { sheetId: body.sheetId as SheetId | undefined, rowId: body.rowId as RowId | undefined };
        let result: Awaited<ReturnType<VersionService["restore"]>>;
        try {
          result = await deps.versions.restore(workbookId, vid, scope, caller.label);
        } catch (error) {
          if (error instanceof NotStoredError) throw new HttpError(503, "storage_failed", "the restore could not be stored; try again");
          throw error;
        }
        if (!result) throw noVersion();
        sendJson(res, 200, result);
      },
    },
  ];
}
