import { type CellValue, type Row, type RowId, type Workbook, compareOrdered, normalizePhone, observeWorkbook } from "@huzhu/schema";
import type * as Y from "yjs";
import { type FormSheet, isOpen } from "./form-sheet.ts";

/** How many case numbers the 疑似重复 cell lists at most. */
const MAX_LISTED = 5;

/**
 * A phone number as compared for duplicates: the stored canonical form (digits, optional +)
 * without a mainland country prefix, so 13800138000, +86 138 0013 8000 and 008613800138000 match.
 */
export function phoneKey(value: CellValue | undefined): string | null {
  if (typeof value !== "string") return null;
  const normalized = normalizePhone(value);
  if (!normalized) return null;
  const digits = normalized.replace(/^\+/, "00");
  const mainland = /^(?:0086|86)(1\d{10})$/.exec(digits);
  return mainland?.[1] ?? digits;
}

function phoneKeys(form: FormSheet, cells: Readonly<Record<string, CellValue | undefined>>): Set<string> {
  const keys = new Set<string>();
  for (const id of form.phoneFieldIds) {
    const key = phoneKey(cells[id]);
    if (key) keys.add(key);
  }
  return keys;
}

/**
 * Phone key → rows holding it, per form sheet of a loaded document, kept up to date by an
 * observer: checking a submission then looks at the few rows sharing its number, not at every
 * row of the sheet (at hundreds of submissions a second on a sheet of thousands, the scan was
 * most of the work).
 */
class PhoneIndex {
  private readonly rowsByKey = new Map<string, Set<RowId>>();
  private readonly keysByRow = new Map<RowId, Set<string>>();
  private stale = true;
  private readonly workbook: Workbook;
  private readonly form: FormSheet;

  constructor(workbook: Workbook, form: FormSheet) {
    this.workbook = workbook;
    this.form = form;
    observeWorkbook(workbook.ydoc, (changes) => {
      const sheet = changes.bySheet.get(form.sheet.id);
      if (changes.sheetsChanged || sheet?.columnsChanged) this.stale = true;
      if (this.stale || !sheet) return;
      for (const rowId of [...sheet.added, ...sheet.updated.keys(), ...sheet.removed]) this.reindex(rowId);
    });
  }

  rowsWith(key: string): ReadonlySet<RowId> {
    if (this.stale) this.rebuild();
    return this.rowsByKey.get(key) ?? new Set();
  }

  private rebuild(): void {
    this.rowsByKey.clear();
    this.keysByRow.clear();
    for (const row of this.workbook.listRows(this.form.sheet.id, { includeDeleted: true })) this.add(row.id, row.cells);
    this.stale = false;
  }

  private reindex(rowId: RowId): void {
    for (const key of this.keysByRow.get(rowId) ?? []) this.rowsByKey.get(key)?.delete(rowId);
    this.keysByRow.delete(rowId);
    const row = this.workbook.findRow(this.form.sheet.id, rowId);
    if (row) this.add(rowId, row.cells);
  }

  private add(rowId: RowId, cells: Readonly<Record<string, CellValue | undefined>>): void {
    const keys = phoneKeys(this.form, cells);
    if (keys.size === 0) return;
    this.keysByRow.set(rowId, keys);
    for (const key of keys) {
      const rows = this.rowsByKey.get(key) ?? new Set<RowId>();
      rows.add(rowId);
      this.rowsByKey.set(key, rows);
    }
  }
}

const indexes = new WeakMap<Y.Doc, Map<string, PhoneIndex>>();

function phoneIndex(workbook: Workbook, form: FormSheet): PhoneIndex {
  let perDoc = indexes.get(workbook.ydoc);
  if (!perDoc) {
    perDoc = new Map();
    indexes.set(workbook.ydoc, perDoc);
  }
  const key = `${form.sheet.id}:${form.phoneFieldIds.join(",")}`;
  let index = perDoc.get(key);
  if (!index) {
    index = new PhoneIndex(workbook, form);
    perDoc.set(key, index);
  }
  return index;
}

/**
 * Case numbers of open requests (follow-up not done, not in the trash) in the form sheet that
 * share a phone number with `cells`, in sheet order, at most five. `exceptRowId` is the request
 * itself. The new submission is stored regardless; this only tells editors where to look.
 */
export function findOpenDuplicates(
  workbook: Workbook,
  form: FormSheet,
  cells: Readonly<Record<string, CellValue | undefined>>,
  exceptRowId?: string,
): string[] {
  const wanted = phoneKeys(form, cells);
  if (wanted.size === 0 || !form.caseNumber) return [];
  const caseColumn = form.caseNumber.id;
  const index = phoneIndex(workbook, form);
  const candidates = new Set<RowId>();
  for (const key of wanted) for (const rowId of index.rowsWith(key)) if (rowId !== exceptRowId) candidates.add(rowId);
  const matches: Row[] = [...candidates]
    .map((rowId) => workbook.findRow(form.sheet.id, rowId))
    .filter((row): row is Row => row !== undefined && isOpen(form, row))
    .sort(compareOrdered);
  return matches
    .map((row) => row.cells[caseColumn])
    .filter((value): value is string => typeof value === "string" && value !== "")
    .slice(0, MAX_LISTED);
}
