import { createHash } from "node:crypto";
import { type CellValue, type FormField, type RowId, createRowId } from "@huzhu/schema";
import { z } from "zod";
import { formatCaseNumber, systemCellsFor } from "../case-numbers.ts";
import type { LinkRecord } from "../storage/doc-store.ts";
import type { FormSubmissionRecord } from "../storage/form-store.ts";
import { hashToken } from "../tokens.ts";
import {
  type FormDependencies,
  durableTransact,
  formError,
  formUnavailable,
  rateLimited,
  requesterOrigin,
  validAnswers,
  withDocument,
} from "./context.ts";
import { findOpenDuplicates } from "./duplicates.ts";
import { type FormSheet, readFormSheet } from "./form-sheet.ts";
import { TicketRefusal, issueTicket, manageTokenFor, verifyTicket } from "./ticket.ts";

/**
 * The honeypot: a field people never see or fill (hidden off-screen on the page, absent from the
 * API's field list). Its name can never be a column id (those have no hyphen).
 */
export const HONEYPOT_FIELD = "home-page";

/** Largest request body the form endpoints read. */
export const MAX_FORM_BODY_BYTES = 32 * 1024;

/** Answer of `GET /api/forms/<token>`. */
export interface FormDescription {
  /** The workbook's title, e.g. 上海医疗紧急求助. */
  readonly title: string;
  /** The sheet the form adds rows to, e.g. 求助. */
  readonly sheetName: string;
  readonly fields: readonly FormField[];
  /** Fields only volunteers see (never public), so a page can say so. */
  readonly privateFieldIds: readonly string[];
  /** The ticket is refused until it is this old. */
  readonly minFillMs: number;
  /** Leave this body field empty or absent. */
  readonly honeypotField: string;
  /** Send it back with the submission. Valid for one submission; a retry with it is safe. */
  readonly ticket: string;
}

/** Body of `POST /api/forms/<token>`. */
export const FormSubmissionBody = z.strictObject({
  ticket: z.string().max(200),
  answers: z.record(z.string().max(100), z.unknown()),
  [HONEYPOT_FIELD]: z.string().max(2_000).optional(),
});
export type FormSubmissionBody = z.infer<typeof FormSubmissionBody>;

/** Answer of a stored submission. */
export interface SubmissionReply {
  /** e.g. SH-0012 */
  readonly caseNumber: string;
  /** The requester's private link to see, update or withdraw the request. */
  readonly manageUrl: string;
}

/** The path of a manage link. */
export function managePath(manageToken: string): string {
  return `/m/${manageToken}`;
}

/** What the form looks like now, with a fresh ticket. */
export async function describeForm(deps: FormDependencies, link: LinkRecord): Promise<FormDescription> {
  const form = await withDocument(deps, link.workbookId, requesterOrigin("form-submission", link.id), (_, workbook) =>
    readFormSheet(workbook),
  );
  if (!form) throw formUnavailable();
  return {
    title: form.title,
    sheetName: form.sheet.name,
    fields: form.fields,
    privateFieldIds: form.sheet.columns.filter((c) => c.private && c.inForm && c.system === null).map((c) => c.id),
    minFillMs: deps.rules.minFillMs,
    honeypotField: HONEYPOT_FIELD,
    ticket: issueTicket(deps.secret, link.id, deps.now()),
  };
}

/** A hash of the answers as sent, so a retry can be told from a second use of one ticket. */
function fingerprint(answers: Readonly<Record<string, unknown>>): string {
  const canonical = JSON.stringify(
    Object.keys(answers)
      .sort()
      .map((key) => [key, answers[key] ?? null]),
  );
  return createHash("sha256").update(canonical).digest("hex");
}

function ticketError(refusal: TicketRefusal, retryAfterMs = 0) {
  switch (refusal) {
    case TicketRefusal.tooFast: {
      const seconds = Math.max(1, Math.ceil(retryAfterMs / 1_000));
      return formError(
        400,
        refusal,
        `sent too soon after the form was opened; retry in ${seconds} s`,
        "提交得太快了，请核对填写内容后再提交",
        {
          headers: { "Retry-After": String(seconds) },
        },
      );
    }
    case TicketRefusal.expired:
      return formError(400, refusal, "the form was opened too long ago; load it again", "页面已过期，请重新提交");
    default:
      return formError(400, refusal, "the form ticket is missing or not valid; load the form again", "页面已失效，请重新提交");
  }
}

function ticketUsed() {
  return formError(409, "ticket_used", "this form ticket was already used for other answers; load the form again", "这份表单已经提交过了");
}

/** Cells of a new request: the answers, the workflow's starting statuses and the duplicate flag. */
function initialCells(form: FormSheet, answers: Readonly<Record<string, CellValue>>, duplicates: readonly string[]) {
  const cells: Record<string, CellValue> = { ...answers };
  if (form.verification?.initial) cells[form.verification.column.id] = form.verification.initial;
  if (form.followUp?.initial) cells[form.followUp.column.id] = form.followUp.initial;
  if (duplicates.length > 0 && form.duplicateOf) cells[form.duplicateOf.id] = duplicates.join(", ");
  return cells;
}

/**
 * Writes the submission's row, once: the row id was chosen when the submission was claimed, so a
 * retry (or a second instance) finds the row instead of adding another. The row arrives complete
 * — answers, case number, submission time, statuses — in one transaction, on disk before this
 * returns. `numbering` is the row's case number when already asked for.
 */
async function writeRow(
  deps: FormDependencies,
  record: FormSubmissionRecord,
  answers: Readonly<Record<string, CellValue>>,
  numbering?: Promise<number>,
): Promise<{ caseNumber: string }> {
  const rowId = record.rowId as RowId;
  const number = await (numbering ?? deps.store.allocateCaseNumber(record.workbookId, rowId));
  return withDocument(deps, record.workbookId, requesterOrigin("form-submission", record.linkId), async (connection, workbook) => {
    const form = readFormSheet(workbook);
    if (!form || form.sheet.id !== record.sheetId) throw formUnavailable();
    const duplicates = findOpenDuplicates(workbook, form, answers, rowId);
    // Without a 疑似重复 column (a workbook made before it existed) the warning goes to the notes.
    const note = duplicates.length > 0 && !form.duplicateOf && form.notes ? `疑似重复：${duplicates.join(", ")}` : null;
    await durableTransact(deps, connection, (current) => {
      if (current.findRow(form.sheet.id, rowId)) return;
      const cells = {
        ...initialCells(form, answers, duplicates),
        ...systemCellsFor(current, form.sheet.id, number, new Date(deps.now()).toISOString()),
      };
      if (note && form.notes) cells[form.notes.id] = note;
      current.insertRow(form.sheet.id, cells, {}, rowId);
    });
    const stored = workbook.findRow(form.sheet.id, rowId)?.cells[form.caseNumber?.id ?? ""];
    return { caseNumber: typeof stored === "string" && stored !== "" ? stored : formatCaseNumber(workbook.readMeta().casePrefix, number) };
  });
}

function replyFor(deps: FormDependencies, submissionId: string, caseNumber: string): SubmissionReply {
  return { caseNumber, manageUrl: `${deps.publicUrl}${managePath(manageTokenFor(deps.secret, submissionId))}` };
}

/**
 * Finishes a submission whose row may or may not be written yet (a retry, or a crash in between).
 * Answers once the row is on disk; the record that the submission is complete is written
 * meanwhile: a replay before it lands (or after it failed) finds the row and writes nothing, and
 * the manage link looks for the row too (manage.ts). Waiting for that record cost every requester
 * one more commit: with the case number asked for alongside the claim (submitForm), commit waits
 * under the form load went from ~33 to ~21 ms of a submission's ~48 ms.
 */
async function complete(
  deps: FormDependencies,
  record: FormSubmissionRecord,
  answers: Readonly<Record<string, CellValue>>,
  numbering?: Promise<number>,
): Promise<SubmissionReply> {
  const { caseNumber } = await writeRow(deps, record, answers, numbering);
  deps.formStore.completeSubmission(record.submissionId, caseNumber, new Date(deps.now())).catch((error: unknown) => {
    deps.logger.error({ err: error, submissionId: record.submissionId }, "recording a stored form submission as complete failed");
  });
  return replyFor(deps, record.submissionId, caseNumber);
}

/**
 * Stores a request from the form, exactly once per ticket. Checks, in order: the honeypot, the
 * ticket's signature for this form, an earlier use of the ticket (the same answers get the first
 * reply again, whatever the ticket's age now; other answers are refused), the ticket's age (old
 * enough, not too old), the answers against the form as it is now, then the per-address and
 * per-link submission limits. Throws HttpErrors.
 */
export async function submitForm(
  deps: FormDependencies,
  link: LinkRecord,
  body: FormSubmissionBody,
  address: string,
): Promise<{ reply: SubmissionReply; replayed: boolean }> {
  if ((body[HONEYPOT_FIELD] ?? "").trim() !== "") {
    // Refused, never stored, and said plainly: a person whose browser filled the hidden field
    // must learn that nothing was sent, never be shown a false success.
    throw formError(400, "submission_refused", "the submission was refused; load the form again", "提交未成功，请刷新页面后重新填写");
  }
  const verified = verifyTicket(deps.secret, link.id, body.ticket, deps.rules, deps.now());
  if (!verified.ticket) throw ticketError(verified.ok ? TicketRefusal.invalid : verified.refusal);
  const { submissionId } = verified.ticket;
  const print = fingerprint(body.answers);

  const earlier = await deps.formStore.findSubmission(submissionId);
  if (earlier && earlier.fingerprint !== print) {
    throw ticketUsed();
  }
  if (earlier?.completedAt && earlier.caseNumber) {
    return { reply: replyFor(deps, submissionId, earlier.caseNumber), replayed: true };
  }
  // Timing applies to submissions not yet stored (one claimed but unfinished was on time).
  if (!verified.ok && !earlier) throw ticketError(verified.refusal, verified.retryAfterMs);

  const { form, cells } = await withDocument(deps, link.workbookId, requesterOrigin("form-submission", link.id), (_, workbook) => {
    const current = readFormSheet(workbook);
    if (!current) throw formUnavailable();
    return { form: current, cells: validAnswers(current.sheet, body.answers) };
  });

  if (earlier) return { reply: await complete(deps, earlier, cells), replayed: true };
  const underWay = deps.claimsUnderWay.get(submissionId);
  if (underWay) {
    // A double tap whose first copy is being claimed now: the same row, no second charge.
    const { record } = await underWay;
    if (record.fingerprint !== print) throw ticketUsed();
    return { reply: await complete(deps, record, cells), replayed: true };
  }

  const limiters = deps.limiters;
  const now = deps.now();
  for (const [buckets, key] of [
    [limiters.submissionsPerAddress, address],
    [limiters.submissionsPerLink, link.id],
  ] as const) {
    const verdict = buckets.peek(key, now);
    if (!verdict.ok) throw rateLimited(verdict.retryAfterMs);
  }
  limiters.submissionsPerAddress.take(address, now);
  limiters.submissionsPerLink.take(link.id, now);

  const rowId = createRowId();
  const claiming = deps.formStore.claimSubmission({
    submissionId,
    workbookId: link.workbookId,
    linkId: link.id,
    sheetId: form.sheet.id,
    rowId,
    fingerprint: print,
    manageTokenHash: hashToken(manageTokenFor(deps.secret, submissionId)),
    createdAt: new Date(now).toISOString(),
  });
  deps.claimsUnderWay.set(submissionId, claiming);
  // Asked for with the claim, so both share one commit. Should another copy of this submission
  // hold the claim, its row gets its own number and this one is skipped, never reused.
  const numbering = deps.store.allocateCaseNumber(link.workbookId, rowId);
  // Awaited below, unless the claim fails or another copy's row is written instead.
  numbering.catch(() => {});
  const claim = await claiming.finally(() => deps.claimsUnderWay.delete(submissionId));
  if (!claim.claimed) {
    // Another request with this ticket claimed it first (a double tap that reached another
    // instance, or came after this one's claim was done): it stores the row, so this one gives
    // its tokens back, then answers the same (same answers, same row).
    limiters.submissionsPerAddress.giveBack(address, now);
    limiters.submissionsPerLink.giveBack(link.id, now);
    if (claim.record.fingerprint !== print) throw ticketUsed();
  }
  const numbered = claim.record.rowId === rowId ? numbering : undefined;
  return { reply: await complete(deps, claim.record, cells, numbered), replayed: !claim.claimed };
}
