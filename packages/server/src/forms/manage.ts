import {
  type CellValue,
  type FormField,
  type Row,
  type RowId,
  type SelectOption,
  type Workbook,
  formatInstantCst,
  parseCell,
} from "@huzhu/schema";
import { z } from "zod";
import type { FormSubmissionRecord } from "../storage/form-store.ts";
import { hashToken } from "../tokens.ts";
import {
  type DirectConnection,
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
import { type FormSheet, appendNote, isOpen, readFormSheet, statusOf } from "./form-sheet.ts";

/** The note left for editors when a requester withdraws. */
export const WITHDRAWN_NOTE = "申请人已撤回";

/** Answer of `GET /api/manage/<token>`: one request, only its in-form fields. */
export interface ManageView {
  readonly caseNumber: string;
  readonly title: string;
  readonly sheetName: string;
  /** ISO instant. */
  readonly submittedAt: string | null;
  readonly verification: SelectOption | null;
  readonly followUp: SelectOption | null;
  /** The requester withdrew it. */
  readonly withdrawn: boolean;
  /** Volunteers removed it (moved to the trash). */
  readonly removed: boolean;
  /** Volunteers finished it (follow-up 已解决, 已关闭…); its personal data is deleted after a while. */
  readonly closed: boolean;
  /** Whether details can still be changed and the request withdrawn: it is open, not withdrawn, not removed. */
  readonly editable: boolean;
  readonly fields: readonly FormField[];
  /** The current values of the in-form fields, as stored. */
  readonly answers: Readonly<Record<string, CellValue>>;
}

/**
 * Body of `POST /api/manage/<token>`: every in-form field, as on the form, and optionally `base`,
 * the answers as the requester last saw them (the view's `answers`). With `base`, only fields the
 * requester changed are written, so a correction an editor made meanwhile stays.
 */
export const ManageUpdateBody = z.strictObject({
  answers: z.record(z.string().max(100), z.unknown()),
  base: z.record(z.string().max(100), z.unknown()).optional(),
});
export type ManageUpdateBody = z.infer<typeof ManageUpdateBody>;

/** The submission a manage token stands for; 404 for anything else. */
export async function resolveManageToken(deps: FormDependencies, token: string): Promise<FormSubmissionRecord> {
  const record =
    token.length > 0 && token.length <= 200 ? await deps.formStore.findSubmissionByManageTokenHash(hashToken(token)) : undefined;
  const notFound = () => formError(404, "not_found", "no request behind this link", "找不到这条求助，请检查链接是否完整");
  if (!record) throw notFound();
  if (record.completedAt) return record;
  // The reply goes out once the row is stored, while the completion is still being recorded
  // (submit.ts); a claim whose row was never written has no request behind it.
  const written = await withDocument(deps, record.workbookId, requesterOrigin("manage-update", record.linkId), (_, workbook) => {
    const form = readFormSheet(workbook);
    return form?.sheet.id === record.sheetId && workbook.findRow(form.sheet.id, record.rowId as RowId) !== undefined;
  });
  if (!written) throw notFound();
  return record;
}

function gone() {
  return formError(404, "request_gone", "this request has been deleted", "这条求助已被删除");
}

function caseNumberOf(form: FormSheet, row: Row): string {
  const value = form.caseNumber ? row.cells[form.caseNumber.id] : null;
  return typeof value === "string" ? value : "";
}

function viewOf(form: FormSheet, record: FormSubmissionRecord, row: Row): ManageView {
  const withdrawn = record.withdrawnAt !== null;
  const removed = row.deletedAt !== null;
  const submitted = row.cells[form.sheet.columns.find((c) => c.system === "submittedAt")?.id ?? ""];
  return {
    caseNumber: caseNumberOf(form, row) || (record.caseNumber ?? ""),
    title: form.title,
    sheetName: form.sheet.name,
    submittedAt: typeof submitted === "string" ? submitted : null,
    verification: statusOf(form.verification, row),
    followUp: statusOf(form.followUp, row),
    withdrawn,
    removed,
    closed: !removed && !isOpen(form, row),
    editable: !withdrawn && isOpen(form, row),
    fields: form.fields,
    answers: Object.fromEntries(form.fields.map((field) => [field.id, row.cells[field.id] ?? null])),
  };
}

interface RequestScope {
  readonly form: FormSheet;
  readonly row: Row;
  readonly connection: DirectConnection;
  readonly workbook: Workbook;
}

async function withRequest<T>(
  deps: FormDependencies,
  record: FormSubmissionRecord,
  purpose: Parameters<typeof requesterOrigin>[0],
  fn: (scope: RequestScope) => Promise<T> | T,
): Promise<T> {
  return withDocument(deps, record.workbookId, requesterOrigin(purpose, record.linkId), async (connection, workbook) => {
    const form = readFormSheet(workbook);
    if (!form || form.sheet.id !== record.sheetId) throw formUnavailable();
    const row = workbook.findRow(form.sheet.id, record.rowId as RowId);
    if (!row) throw gone();
    return fn({ form, row, connection, workbook });
  });
}

/** The row after a write, read again. */
function reread({ form, row, workbook }: RequestScope): Row {
  return workbook.findRow(form.sheet.id, row.id) ?? row;
}

/** The request as its requester may see it. */
export async function readManageView(deps: FormDependencies, record: FormSubmissionRecord): Promise<ManageView> {
  return withRequest(deps, record, "manage-update", ({ form, row }) => viewOf(form, record, row));
}

const same = (a: CellValue | undefined, b: CellValue | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields to write: those whose new value differs from what is stored now and from what the
 * requester saw (`base`, when given).
 */
function changedFields(
  form: FormSheet,
  row: Row,
  next: Readonly<Record<string, CellValue>>,
  base: Readonly<Record<string, unknown>> | undefined,
) {
  const columns = new Map(form.sheet.columns.map((column) => [column.id as string, column]));
  return form.fields.filter((field) => {
    if (same(next[field.id], row.cells[field.id])) return false;
    const column = columns.get(field.id);
    if (!base || !column || !Object.hasOwn(base, field.id)) return true;
    const seen = parseCell(column, base[field.id]);
    return !seen.ok || !same(next[field.id], seen.value);
  });
}

function takeWrite(deps: FormDependencies, record: FormSubmissionRecord): void {
  const verdict = deps.limiters.manageWrites.take(record.manageTokenHash, deps.now());
  if (!verdict.ok) throw rateLimited(verdict.retryAfterMs);
}

/**
 * Why a request can no longer be changed. A finished one stays finished: details typed in after
 * it closed would outlive the retention purge of its personal data.
 */
function notEditable(view: Pick<ManageView, "withdrawn" | "removed">) {
  if (view.withdrawn) return formError(409, "request_withdrawn", "this request was withdrawn", "这条求助已撤回，不能再修改");
  if (view.removed) return formError(409, "request_removed", "volunteers removed this request", "这条求助已被志愿者移除，不能再修改");
  return formError(409, "request_closed", "this request is closed", "这条求助已结案，不能再修改。如仍需帮助，请重新提交");
}

const stamp = (deps: FormDependencies) => formatInstantCst(new Date(deps.now()).toISOString());

/**
 * Changes the request's details: the answers are validated as a whole submission, and only the
 * fields the requester changed are written (so a field an editor corrected meanwhile stays, unless the
 * requester changed that very field). Editors get a note naming what changed; a new phone number
 * is checked for duplicates again.
 */
export async function updateRequest(deps: FormDependencies, record: FormSubmissionRecord, body: ManageUpdateBody): Promise<ManageView> {
  return withRequest(deps, record, "manage-update", async (scope) => {
    const { form, row, connection } = scope;
    const before = viewOf(form, record, row);
    if (!before.editable) throw notEditable(before);
    const answers = validAnswers(form.sheet, body.answers);
    const changed = changedFields(form, row, answers, body.base);
    if (changed.length === 0) return before;
    takeWrite(deps, record);
    const phoneChanged = changed.some((field) => form.phoneFieldIds.includes(field.id));
    await durableTransact(deps, connection, (workbook) => {
      const current = workbook.findRow(form.sheet.id, row.id);
      if (!current) throw gone();
      const cells: Record<string, CellValue> = Object.fromEntries(changed.map((field) => [field.id, answers[field.id] ?? null]));
      if (phoneChanged && form.duplicateOf) {
        const merged = { ...current.cells, ...cells };
        cells[form.duplicateOf.id] = findOpenDuplicates(workbook, form, merged, row.id).join(", ");
      }
      if (form.notes) {
        const labels = changed.map((field) => field.label).join("、");
        cells[form.notes.id] = appendNote(current.cells[form.notes.id], `${stamp(deps)} 申请人更新了：${labels}`);
      }
      workbook.setCells(form.sheet.id, row.id, cells);
    });
    return viewOf(form, record, reread(scope));
  });
}

/**
 * Withdraws the request: follow-up becomes 已关闭 and editors get the note 申请人已撤回. The row
 * is never deleted. Withdrawing twice changes nothing.
 */
export async function withdrawRequest(deps: FormDependencies, record: FormSubmissionRecord): Promise<ManageView> {
  if (record.withdrawnAt !== null) return readManageView(deps, record);
  return withRequest(deps, record, "manage-withdraw", async (scope) => {
    const { form, row, connection } = scope;
    const before = viewOf(form, record, row);
    if (!before.editable) throw notEditable(before);
    takeWrite(deps, record);
    const at = new Date(deps.now());
    await durableTransact(deps, connection, (workbook) => {
      const current = workbook.findRow(form.sheet.id, row.id);
      if (!current) throw gone();
      const cells: Record<string, CellValue> = {};
      if (form.followUp?.closedId) cells[form.followUp.column.id] = form.followUp.closedId;
      if (form.notes) cells[form.notes.id] = appendNote(current.cells[form.notes.id], `${stamp(deps)} ${WITHDRAWN_NOTE}`);
      workbook.transact(() => {
        workbook.setCells(form.sheet.id, row.id, cells);
        if (isOpen(form, current) && form.followUp?.closedId) workbook.stampClosed(form.sheet.id, row.id, at);
      });
    });
    await deps.formStore.markWithdrawn(record.submissionId, at);
    return viewOf(form, { ...record, withdrawnAt: at.toISOString() }, reread(scope));
  });
}
