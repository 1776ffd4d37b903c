import type { IncomingMessage } from "node:http";
import { isWorkbookId } from "@huzhu/schema";
import { verifyLink } from "../links.ts";
import { type DocStore, LinkRole } from "../storage/doc-store.ts";
import { secretsEqual } from "../tokens.ts";
import { HttpError } from "./errors.ts";
import { bearerToken } from "./request.ts";

/** Who is calling a workbook route. */
export interface Caller {
  /** The link's role; "admin" for the server's admin token. */
  readonly role: LinkRole;
  /** The link's label, to attribute changes with; "admin" for the server's admin token. */
  readonly label: string;
  /** Null for the server's admin token. */
  readonly linkId: string | null;
}

/** What `authorize` checks against. */
export interface AccessDependencies {
  readonly store: DocStore;
  readonly adminToken: string;
  readonly now?: () => Date;
}

/** The label changes made with the server's admin token are attributed to. */
export const ADMIN_TOKEN_LABEL = "admin";

/**
 * Resolves the bearer token of a request for a workbook and checks its role: 404 for a malformed
 * id (before any storage is read) or an unknown workbook (admin token), 401 for a missing,
 * unknown, expired or revoked link, 403 for a valid link whose role is not in `roles`. The
 * server's admin token counts as an admin link of every workbook when `roles` has admin.
 */
export async function authorize(
  deps: AccessDependencies,
  req: IncomingMessage,
  workbookId: string,
  roles: readonly LinkRole[],
): Promise<Caller> {
  if (!isWorkbookId(workbookId)) throw new HttpError(404, "not_found", "no such workbook");
  const token = bearerToken(req);
  if (roles.includes(LinkRole.admin) && secretsEqual(token, deps.adminToken)) {
    if (!(await deps.store.findWorkbook(workbookId))) throw new HttpError(404, "not_found", "no such workbook");
    return { role: LinkRole.admin, label: ADMIN_TOKEN_LABEL, linkId: null };
  }
  const result = await verifyLink(deps.store, workbookId, token, deps.now?.() ?? new Date());
  if (!result.ok) {
    throw new HttpError(401, result.refusal.replaceAll("-", "_"), "this link is not valid for this workbook", {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  }
  const { link } = result;
  if (!roles.includes(link.role))
    throw new HttpError(403, "forbidden", `a ${link.role} link may not do this; it needs ${roles.join(" or ")}`);
  return { role: link.role, label: link.label, linkId: link.id };
}

/** Roles that see and change everything in a workbook. */
export const EDITING_ROLES: readonly LinkRole[] = [LinkRole.admin, LinkRole.editor];
