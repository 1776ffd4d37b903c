import { type LinkRecord, LinkRole, type DocStore } from "./storage/doc-store.ts";
import { createRecordId, createToken, hashToken } from "./tokens.ts";

/** Presence colours handed to new links in turn; readable on white, distinct from urgency red. */
export const LINK_COLORS = ["#2563eb", "#059669", "#7c3aed", "#d97706", "#db2777", "#0891b2", "#4d7c0f", "#9333ea"] as const;

/** Why a token does not open a workbook; each is also a WebSocket close reason and an HTTP error code. */
export const LinkRefusal = {
  invalidToken: "invalid-token",
  expired: "link-expired",
  revoked: "link-revoked",
} as const;
export type LinkRefusal = (typeof LinkRefusal)[keyof typeof LinkRefusal];

/** A link as created: the record to store and the token, which exists only in this return value. */
export interface IssuedLink {
  readonly record: LinkRecord;
  readonly token: string;
}

/** Makes a link record and its secret token. Nothing is stored here. */
export function issueLink(
  workbookId: string,
  role: LinkRole,
  label: string,
  color: string,
  now = new Date(),
  expiresAt: string | null = null,
): IssuedLink {
  const token = createToken();
  const record: LinkRecord = {
    id: createRecordId(),
    workbookId,
    role,
    tokenHash: hashToken(token),
    label,
    color,
    expiresAt,
    revokedAt: null,
    createdAt: now.toISOString(),
  };
  return { record, token };
}

/** Labels of the links a new workbook gets; each attributes what is done through it. */
export const DEFAULT_LINK_LABELS: Readonly<Record<LinkRole, string>> = {
  admin: "管理员",
  editor: "编辑者",
  form: "求助表单",
  public: "公开页面",
};

/** The default editor link of a new workbook. */
export function issueEditorLink(workbookId: string, now = new Date()): IssuedLink {
  return issueLink(workbookId, LinkRole.editor, DEFAULT_LINK_LABELS.editor, LINK_COLORS[0], now);
}

/** The four links of a new workbook, one per role; the editor keeps the first colour. */
export function issueWorkbookLinks(workbookId: string, now = new Date()): Readonly<Record<LinkRole, IssuedLink>> {
  return {
    editor: issueEditorLink(workbookId, now),
    admin: issueLink(workbookId, LinkRole.admin, DEFAULT_LINK_LABELS.admin, LINK_COLORS[2], now),
    form: issueLink(workbookId, LinkRole.form, DEFAULT_LINK_LABELS.form, LINK_COLORS[3], now),
    public: issueLink(workbookId, LinkRole.public, DEFAULT_LINK_LABELS.public, LINK_COLORS[1], now),
  };
}

/**
 * Where a link opens. Admin and editor links open the app with the token in the fragment (never
 * sent to a server or in a Referer); form and public links are pages the server answers, so the
 * token is in the path.
 */
export function linkUrl(publicUrl: string, role: LinkRole, workbookId: string, token: string): string {
  switch (role) {
    case LinkRole.admin:
    case LinkRole.editor:
      return `${publicUrl}/w/${workbookId}#token=${token}`;
    case LinkRole.form:
      return `${publicUrl}/f/${token}`;
    case LinkRole.public:
      return `${publicUrl}/p/${token}`;
  }
}

/** Why a stored link no longer works at `now`, or undefined while it does. */
export function linkRefusal(link: LinkRecord, now = new Date()): LinkRefusal | undefined {
  if (link.revokedAt !== null) return LinkRefusal.revoked;
  if (link.expiresAt !== null && Date.parse(link.expiresAt) <= now.getTime()) return LinkRefusal.expired;
  return undefined;
}

/** A token resolved to its link, or why it opens nothing. */
export type LinkResult = { ok: true; link: LinkRecord } | { ok: false; refusal: LinkRefusal };

async function findLink(store: DocStore, token: string): Promise<LinkRecord | undefined> {
  if (token.length === 0 || token.length > 200) return undefined;
  return store.findLinkByTokenHash(hashToken(token));
}

function judge(link: LinkRecord | undefined, now: Date): LinkResult {
  if (!link) return { ok: false, refusal: LinkRefusal.invalidToken };
  const refusal = linkRefusal(link, now);
  return refusal ? { ok: false, refusal } : { ok: true, link };
}

/** Resolves a token to its link, whatever the workbook (for `/p/<token>`, `/f/<token>`, `/api/session`). */
export async function resolveToken(store: DocStore, token: string, now = new Date()): Promise<LinkResult> {
  return judge(await findLink(store, token), now);
}

/**
 * Resolves a token presented for a workbook. A token for another workbook is as invalid as an
 * unknown one, so a caller learns nothing about workbooks it holds no link to.
 */
export async function verifyLink(store: DocStore, workbookId: string, token: string, now = new Date()): Promise<LinkResult> {
  const link = await findLink(store, token);
  return judge(link?.workbookId === workbookId ? link : undefined, now);
}
