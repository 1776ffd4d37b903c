import type { Document, Hocuspocus } from "@hocuspocus/server";
import { type CellValue, type Sheet, type Workbook, openWorkbook, validateFormSubmission } from "@huzhu/schema";
import type { Logger } from "pino";
import { HttpError } from "../http/errors.ts";
import { type DocStore, type LinkRecord, LinkRole } from "../storage/doc-store.ts";
import type { FormStore } from "../storage/form-store.ts";
import { hashToken } from "../tokens.ts";
import { type BucketRule, TokenBuckets } from "./rate-limit.ts";
import type { TicketRules } from "./ticket.ts";

/** A direct connection to a document, as Hocuspocus opens it (its class is not exported by name). */
export type DirectConnection = Awaited<ReturnType<Hocuspocus["openDirectConnection"]>>;

/** Rate limits of the form and manage endpoints. */
export interface FormLimits {
  /** Every form and manage request (pages, API, GET and POST) per client address. */
  readonly requestsPerAddress: BucketRule;
  /** New submissions stored per client address. Mobile carriers put many people behind one address: keep it humane. */
  readonly submissionsPerAddress: BucketRule;
  /** New submissions stored per form link: a circuit breaker against a flood from many addresses. */
  readonly submissionsPerLink: BucketRule;
  /** Updates and withdrawals per manage link. */
  readonly writesPerManageLink: BucketRule;
}

/** Form settings; every field has a default. */
export interface FormOptions {
  /** A form ticket is refused until it is this old (ms). Default 3000. */
  readonly minFillMs?: number;
  /** A form ticket is refused once it is this old (ms). Default 24 h. */
  readonly ticketMaxAgeMs?: number;
  readonly limits?: Partial<FormLimits>;
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (TRUSTED_PROXY). Default none. */
  readonly trustedProxies?: readonly string[];
}

/** Defaults of `FormOptions`. */
export const DEFAULT_FORM_LIMITS: FormLimits = {
  requestsPerAddress: { capacity: 120, refillPerMinute: 120 },
  submissionsPerAddress: { capacity: 6, refillPerMinute: 2 },
  submissionsPerLink: { capacity: 120, refillPerMinute: 120 },
  writesPerManageLink: { capacity: 20, refillPerMinute: 1 },
};

/** The token buckets of one server. */
export interface FormLimiters {
  readonly requests: TokenBuckets;
  readonly submissionsPerAddress: TokenBuckets;
  readonly submissionsPerLink: TokenBuckets;
  readonly manageWrites: TokenBuckets;
}

/** What the form and manage handlers need from the composition root. */
export interface FormDependencies {
  readonly store: DocStore;
  readonly formStore: FormStore;
  readonly hocuspocus: Hocuspocus;
  /** The persistence extension: tells whether a document's writes reached storage. */
  readonly persistence: { whenStored(document: Document): Promise<boolean> };
  /** Signs tickets and derives manage tokens (forms/secret.ts). */
  readonly secret: Buffer;
  /** Base of the links handed out (PUBLIC_URL). */
  readonly publicUrl: string;
  readonly rules: TicketRules;
  readonly limiters: FormLimiters;
  /**
   * Claims this server is making now, by submission id: a double tap's copies wait for the first
   * one's claim instead of each charging the rate limits while it is on its way to disk.
   */
  readonly claimsUnderWay: Map<string, ReturnType<FormStore["claimSubmission"]>>;
  readonly trustedProxies: ReadonlySet<string>;
  readonly logger: Logger;
  readonly now: () => number;
}

/** Builds the dependencies' settings part from options and defaults. */
export function formSettings(
  options: FormOptions = {},
): Pick<FormDependencies, "rules" | "limiters" | "claimsUnderWay" | "trustedProxies"> {
  const limits = { ...DEFAULT_FORM_LIMITS, ...options.limits };
  return {
    rules: { minFillMs: options.minFillMs ?? 3_000, maxAgeMs: options.ticketMaxAgeMs ?? 24 * 3_600_000 },
    limiters: {
      requests: new TokenBuckets(limits.requestsPerAddress),
      submissionsPerAddress: new TokenBuckets(limits.submissionsPerAddress),
      submissionsPerLink: new TokenBuckets(limits.submissionsPerLink),
      manageWrites: new TokenBuckets(limits.writesPerManageLink),
    },
    claimsUnderWay: new Map(),
    trustedProxies: new Set(options.trustedProxies ?? []),
  };
}

/** The origin context of the server's writes for requesters, so history can tell them apart. */
export function requesterOrigin(purpose: "form-submission" | "manage-update" | "manage-withdraw", linkId: string) {
  return { actor: "form", purpose, linkId } as const;
}

/** An HTTP error with a Chinese message for the pages. */
export function formError(
  status: number,
  code: string,
  message: string,
  messageZh: string,
  options: { field?: string; headers?: Record<string, string>; errors?: readonly unknown[] } = {},
): HttpError {
  return new HttpError(status, code, message, { ...options, messageZh });
}

/**
 * The answers as cells, validated against the sheet's form as a whole submission; otherwise 400
 * invalid_answers listing every problem (`field` names the first).
 */
export function validAnswers(sheet: Sheet, answers: Readonly<Record<string, unknown>>): Readonly<Record<string, CellValue>> {
  const checked = validateFormSubmission(sheet, answers);
  if (checked.ok) return checked.cells;
  const first = checked.errors[0];
  throw formError(400, "invalid_answers", first?.message ?? "invalid answers", first?.messageZh ?? "请检查填写内容", {
    field: first?.field ?? undefined,
    errors: checked.errors,
  });
}

/** 429 with Retry-After in whole seconds. */
export function rateLimited(retryAfterMs: number): HttpError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1_000));
  const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} 分钟` : `${seconds} 秒`;
  return formError(429, "rate_limited", `too many requests; retry after ${seconds} s`, `提交太频繁，请 ${wait}后再试`, {
    headers: { "Retry-After": String(seconds) },
  });
}

/** 503 when a write may not have reached storage; the same ticket can be sent again safely. */
export function storageFailed(): HttpError {
  return formError(503, "storage_failed", "the request could not be stored; send it again later", "暂时无法保存，请稍后再提交一次", {
    headers: { "Retry-After": "5" },
  });
}

/**
 * The form link behind a token: unknown, revoked and expired links (and links of other roles)
 * are all 404, with a code saying which, so nobody can probe for other kinds of links.
 */
export async function resolveFormLink(deps: FormDependencies, token: string): Promise<LinkRecord> {
  const link = token.length > 0 && token.length <= 200 ? await deps.store.findLinkByTokenHash(hashToken(token)) : undefined;
  if (!link || link.role !== LinkRole.form) {
    throw formError(404, "not_found", "no form behind this link", "找不到这个表单，请向发布者确认链接是否完整");
  }
  if (link.revokedAt !== null) throw formError(404, "link_revoked", "this form no longer accepts requests", "这个表单已停止收集求助");
  if (link.expiresAt !== null && Date.parse(link.expiresAt) <= deps.now()) {
    throw formError(404, "link_expired", "this form has expired", "这个表单已过期");
  }
  return link;
}

/** 404 for a workbook without a form sheet. */
export function formUnavailable(): HttpError {
  return formError(404, "form_unavailable", "this workbook has no request form", "这个表单暂时无法使用");
}

/**
 * Runs `fn` with a direct connection to a workbook's document (loading it if needed), then lets
 * the document go without unloading it at once: the next form request will likely want it too.
 */
export async function withDocument<T>(
  deps: FormDependencies,
  workbookId: string,
  context: Record<string, unknown>,
  fn: (connection: DirectConnection, workbook: Workbook) => Promise<T> | T,
): Promise<T> {
  let connection: DirectConnection;
  try {
    connection = await deps.hocuspocus.openDirectConnection(workbookId, context);
  } catch (error) {
    deps.logger.error({ err: error, workbookId }, "opening a workbook for the form failed");
    throw storageFailed();
  }
  try {
    return await fn(connection, openWorkbook(connection.document as Document));
  } finally {
    await connection.disconnect({ unloadImmediately: false });
  }
}

/**
 * Applies `fn` in one transaction with the connection's origin and makes sure it reached
 * storage: the persistence extension appends from the transaction's update event, and this waits
 * for that append, so when it returns without throwing the change is on disk.
 */
export async function durableTransact(
  deps: FormDependencies,
  connection: DirectConnection,
  fn: (workbook: Workbook) => void,
): Promise<void> {
  await connection.transact((document) => fn(openWorkbook(document)));
  if (!connection.document || !(await deps.persistence.whenStored(connection.document))) throw storageFailed();
}
