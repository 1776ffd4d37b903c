import { type CellValue, type Row, type Workbook, normalizePhone } from "@huzhu/schema";
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
  const matches: Row[] = workbook
    .listRows(form.sheet.id)
    .filter((row) => row.id !== exceptRowId && isOpen(form, row) && [...phoneKeys(form, row.cells)].some((key) => wanted.has(key)));
  return matches
    .map((row) => row.cells[caseColumn])
    .filter((value): value is string => typeof value === "string" && value !== "")
    .slice(0, MAX_LISTED);
}
