import type { WorkbookSession } from "@huzhu/schema";

/** What an editor link carries: `/w/<workbookId>#token=<token>` (the token never reaches server logs). */
export interface EditorLink {
  readonly workbookId: string;
  readonly token: string;
  /** The tab to open, remembered in the fragment as `sheet=<id>`. */
  readonly sheetId: string | null;
}

/** The server's answer to `GET /api/workbooks/<id>/session` for a link that opens a document. */
export type Session = WorkbookSession & { readonly documentName: string };

/** A session that could not be opened, with the sentence to show. */
export class SessionError extends Error {
  override readonly name = "SessionError";
  readonly messageZh: string;
  /** Whether trying again may help (network trouble rather than a bad link). */
  readonly retryable: boolean;
  constructor(message: string, messageZh: string, retryable: boolean) {
    super(message);
    this.messageZh = messageZh;
    this.retryable = retryable;
  }
}

const WORKBOOK_PATH = /^\/w\/([a-z2-7]{16})\/?$/;

/** Reads the editor link from a location; null when this page is not one. */
export function parseEditorLink(location: { pathname: string; hash: string }): EditorLink | null {
  const match = WORKBOOK_PATH.exec(location.pathname);
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  const token = params.get("token");
  if (!match || !token) return null;
  return { workbookId: match[1] as string, token, sheetId: params.get("sheet") };
}

/** The fragment for a link with `sheetId` as the open tab. */
export function linkHash(link: EditorLink, sheetId: string | null): string {
  const params = new URLSearchParams({ token: link.token });
  if (sheetId) params.set("sheet", sheetId);
  return `#${params.toString()}`;
}

function isSession(value: unknown): value is Session {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return ["workbookId", "role", "label", "documentName", "collabUrl"].every((key) => typeof record[key] === "string");
}

/** Asks the server who this link is and where to sync. */
export async function fetchSession(link: EditorLink, fetchImpl: typeof fetch = fetch): Promise<Session> {
  let response: Response;
  try {
    response = await fetchImpl(`/api/workbooks/${link.workbookId}/session`, { headers: { Authorization: `Bearer ${link.token}` } });
  } catch (error) {
    throw new SessionError(String(error), "无法连接服务器，请检查网络后重试。", true);
  }
  if (response.status === 401 || response.status === 403) {
    throw new SessionError(`HTTP ${response.status}`, "此链接无效、已过期或已被撤销，请向协调人索取新的链接。", false);
  }
  if (response.status === 404) throw new SessionError("HTTP 404", "找不到这个工作簿，它可能已被删除。", false);
  if (!response.ok) throw new SessionError(`HTTP ${response.status}`, `服务器暂时无法响应（${response.status}），请稍后重试。`, true);
  const body: unknown = await response.json().catch(() => null);
  if (!isSession(body)) throw new SessionError("Malformed session", "服务器返回了无法识别的数据，请稍后重试。", true);
  return { ...body, color: typeof body.color === "string" ? body.color : "#1a73e8" };
}
