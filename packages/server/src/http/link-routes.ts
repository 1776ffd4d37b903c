import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { LINK_COLORS, issueLink, linkRefusal, linkUrl } from "../links.ts";
import { type DocStore, type LinkRecord, LinkRole } from "../storage/doc-store.ts";
import type { LinkStore } from "../storage/link-store.ts";
import type { WorkbookUrls } from "../workbooks.ts";
import { authorize } from "./access.ts";
import { HttpError, sendJson } from "./errors.ts";
import { readJson } from "./request.ts";
import type { Route } from "./router.ts";

/** What the link routes need from the composition root. */
export interface LinkRouteDependencies {
  readonly store: DocStore;
  readonly links: LinkStore;
  readonly urls: WorkbookUrls;
  readonly adminToken: string;
  /** Closes a link's open connections on every document (LinkWatch.closeLink); returns how many. */
  readonly closeLink: (linkId: string, reason: string) => number;
  readonly now?: () => Date;
}

/** Body of `POST /api/workbooks/:id/links`. */
export const CreateLinkRequest = z.strictObject({
  role: z.enum([LinkRole.admin, LinkRole.editor, LinkRole.form, LinkRole.public]),
  /** Shown as the presence name and attributes every edit made through the link. */
  label: z.string().trim().min(1).max(60),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type CreateLinkRequest = z.infer<typeof CreateLinkRequest>;

/** A link as the admin API shows it: never its token (only its hash is stored). */
export interface LinkView {
  readonly id: string;
  readonly role: LinkRole;
  readonly label: string;
  readonly color: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly createdAt: string;
  /** Whether the link opens anything right now. */
  readonly status: "active" | "expired" | "revoked";
}

/** Answer of `POST /api/workbooks/:id/links`: the view plus the link itself, shown this once. */
export interface CreatedLink extends LinkView {
  readonly url: string;
  readonly token: string;
}

function toView(link: LinkRecord, now: Date): LinkView {
  const refusal = linkRefusal(link, now);
  const status = refusal === "link-revoked" ? "revoked" : refusal === "link-expired" ? "expired" : "active";
  const { id, role, label, color, expiresAt, revokedAt, createdAt } = link;
  return { id, role, label, color, expiresAt, revokedAt, createdAt, status };
}

/**
 * The admin API for a workbook's links: list, create (the token is shown once), revoke (the
 * link's connections close at once). Allowed with an admin link of that workbook or the server's
 * admin token; any other role gets 403, whatever the UI shows.
 */
export function linkRoutes(deps: LinkRouteDependencies): Route[] {
  const now = deps.now ?? (() => new Date());

  const requireAdmin = (req: IncomingMessage, workbookId: string) =>
    authorize({ store: deps.store, adminToken: deps.adminToken, now }, req, workbookId, [LinkRole.admin]);

  return [
    {
      method: "GET",
      path: "/api/workbooks/:id/links",
      async handle({ req, res, params }) {
        const workbookId = params["id"] ?? "";
        await requireAdmin(req, workbookId);
        const at = now();
        sendJson(res, 200, { links: (await deps.links.listLinks(workbookId)).map((link) => toView(link, at)) });
      },
    },
    {
      method: "POST",
      path: "/api/workbooks/:id/links",
      async handle({ req, res, params }) {
        const workbookId = params["id"] ?? "";
        await requireAdmin(req, workbookId);
        const body = CreateLinkRequest.parse(await readJson(req));
        const at = now();
        const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
        if (expiresAt && expiresAt.getTime() <= at.getTime()) {
          throw new HttpError(400, "invalid_body", "expiresAt: must be in the future", { field: "expiresAt" });
        }
        const count = (await deps.links.listLinks(workbookId)).length;
        const color = LINK_COLORS[count % LINK_COLORS.length] as string;
        const { record, token } = issueLink(workbookId, body.role, body.label, color, at, expiresAt?.toISOString() ?? null);
        await deps.store.createLink(record);
        const created: CreatedLink = { ...toView(record, at), url: linkUrl(deps.urls.publicUrl, record.role, workbookId, token), token };
        sendJson(res, 201, created, { Location: `/api/workbooks/${workbookId}/links/${record.id}` });
      },
    },
    {
      method: "POST",
      path: "/api/workbooks/:id/links/:linkId/revoke",
      async handle({ req, res, params }) {
        const workbookId = params["id"] ?? "";
        await requireAdmin(req, workbookId);
        const linkId = params["linkId"] ?? "";
        const at = now();
        const link = linkId.length <= 100 ? await deps.links.revokeLink(workbookId, linkId, at) : undefined;
        if (!link) throw new HttpError(404, "not_found", "this workbook has no such link");
        const closedConnections = deps.closeLink(link.id, "link-revoked");
        sendJson(res, 200, { link: toView(link, at), closedConnections });
      },
    },
  ];
}
