import { ApiError, apiErrorOf, networkError } from "../history/api-error.ts";
import type { LinkRole, LinkStatus } from "./link-format.ts";

/** A link as the admin API lists it; never its token (the server keeps only a hash). */
export interface LinkView {
  readonly id: string;
  readonly role: LinkRole;
  readonly label: string;
  readonly color: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly createdAt: string;
  readonly status: LinkStatus;
}

/** A link just created: its address and token appear in this answer only. */
export interface CreatedLink extends LinkView {
  readonly url: string;
  readonly token: string;
}

/** What the admin asks for. */
export interface NewLink {
  readonly role: LinkRole;
  readonly label: string;
  readonly expiresAt: string | null;
}

/** The workbook's link API (`/api/workbooks/:id/links`, docs/api.md), with an admin link's token. */
export interface LinksApi {
  list(): Promise<readonly LinkView[]>;
  create(link: NewLink): Promise<CreatedLink>;
  /** Revokes a link; the server closes its open connections at once. */
  revoke(linkId: string): Promise<LinkView>;
}

/**
 * The error for a refused link request, in the admin page's words where the server's generic
 * sentence would not help (docs/api.md: 403 for a non-admin link, 400 `invalid_body` with `field`).
 */
export function linkError(status: number, body: unknown): ApiError {
  const error = apiErrorOf(status, body);
  const field = (body as { error?: { field?: unknown } } | null)?.error?.field;
  if (status === 403) return new ApiError(403, error.code, error.message, "只有管理员链接可以管理链接。");
  if (error.code === "invalid_body" && field === "expiresAt") return new ApiError(400, error.code, error.message, "到期时间必须晚于现在。");
  if (error.code === "invalid_body" && field === "label") return new ApiError(400, error.code, error.message, "名称须为 1 至 60 个字。");
  return error;
}

/** Creates the client of a workbook's link API. */
export function createLinksApi(link: { workbookId: string; token: string }, fetchImpl: typeof fetch = fetch.bind(globalThis)): LinksApi {
  const base = `/api/workbooks/${encodeURIComponent(link.workbookId)}/links`;
  async function call<T>(path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { Authorization: `Bearer ${link.token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      });
    } catch (error) {
      throw networkError(error);
    }
    const parsed: unknown = await response.json().catch(() => null);
    if (!response.ok) throw linkError(response.status, parsed);
    return parsed as T;
  }
  return {
    list: async () => (await call<{ links: LinkView[] }>("")).links,
    create: (input) => call<CreatedLink>("", { role: input.role, label: input.label, expiresAt: input.expiresAt }),
    revoke: async (linkId) => (await call<{ link: LinkView }>(`/${encodeURIComponent(linkId)}/revoke`, {})).link,
  };
}
