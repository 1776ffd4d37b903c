import type { CellValue, ColumnDef, ColumnType, SelectOption } from "./columns/column.ts";
import { isEmptyCell, parseCell } from "./columns/index.ts";
import type { Sheet } from "./sheets/sheet.ts";

/** A question on the request form, derived from an in-form column. */
export interface FormField {
  readonly id: string;
  readonly label: string;
  readonly type: ColumnType;
  readonly required: boolean;
  readonly description: string;
  readonly options: readonly SelectOption[];
}

/** Why one answer was refused; `field` is the column id, or null for the submission as a whole. */
export interface FormFieldError {
  readonly field: string | null;
  readonly code: "unknown_field" | "required" | "invalid";
  readonly message: string;
  readonly messageZh: string;
}

export type FormValidation =
  | { readonly ok: true; readonly cells: Readonly<Record<string, CellValue>> }
  | { readonly ok: false; readonly errors: readonly FormFieldError[] };

/** The questions of a sheet's form: its in-form columns that people (not the server) fill in. */
export function formFields(sheet: Sheet): FormField[] {
  return sheet.columns
    .filter((c) => c.inForm && c.system === null)
    .map((c) => ({ id: c.id, label: c.label, type: c.type, required: c.required, description: c.description, options: c.options }));
}

function checkAnswer(field: FormField, input: unknown): { value: CellValue } | { error: FormFieldError } {
  const column: ColumnDef = { ...field, id: field.id as ColumnDef["id"], private: false, inForm: true, system: null, width: null };
  const result = parseCell(column, input);
  if (!result.ok) {
    return {
      error: {
        field: field.id,
        code: "invalid",
        message: `"${field.label}" expects ${result.expected}`,
        messageZh: `请填写${result.expectedZh}`,
      },
    };
  }
  if (field.required && isEmptyCell(column, result.value)) {
    return { error: { field: field.id, code: "required", message: `"${field.label}" is required`, messageZh: `请填写「${field.label}」` } };
  }
  return { value: result.value };
}

/** Checks one answer as the requester types (the page) and again on submit (the server). */
export function validateFormAnswer(field: FormField, input: unknown): FormFieldError | null {
  const checked = checkAnswer(field, input);
  return "error" in checked ? checked.error : null;
}

/**
 * Validates a whole submission against a sheet's form: every field parsed, required ones filled,
 * and any field that is not a question of the form refused (never silently dropped or stored).
 */
export function validateFormSubmission(sheet: Sheet, answers: Readonly<Record<string, unknown>>): FormValidation {
  const fields = formFields(sheet);
  const known = new Set(fields.map((f) => f.id));
  const errors: FormFieldError[] = [];
  for (const key of Object.keys(answers)) {
    if (!known.has(key))
      errors.push({ field: key, code: "unknown_field", message: `"${key}" is not a field of this form`, messageZh: "表单中没有这一项" });
  }
  const cells: Record<string, CellValue> = {};
  for (const field of fields) {
    const checked = checkAnswer(field, answers[field.id]);
    if ("error" in checked) errors.push(checked.error);
    else cells[field.id] = checked.value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, cells };
}
