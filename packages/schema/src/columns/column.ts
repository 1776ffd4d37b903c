import type { ColumnId } from "../ids.ts";

/** The column types a sheet can hold. Closed set; each has a spec in `columns/`. */
export const ColumnType = {
  text: "text",
  longText: "longText",
  number: "number",
  select: "select",
  status: "status",
  dateTime: "dateTime",
  phone: "phone",
  url: "url",
  chatGroup: "chatGroup",
  checkbox: "checkbox",
  person: "person",
} as const;
export type ColumnType = (typeof ColumnType)[keyof typeof ColumnType];

/** Whether a column holds one of its options (select and status): chips, colours, rules, radio buttons. */
export function isChoiceColumn(column: { readonly type: ColumnType }): boolean {
  return column.type === ColumnType.select || column.type === ColumnType.status;
}

/** Colours a select option or urgency may take; the client maps them to its palette. */
export const OptionColor = {
  none: "none",
  red: "red",
  orange: "orange",
  yellow: "yellow",
  green: "green",
  blue: "blue",
  purple: "purple",
  gray: "gray",
} as const;
export type OptionColor = (typeof OptionColor)[keyof typeof OptionColor];

/** One choice of a select or status column. `id` is what the cell stores; `label` is shown. */
export interface SelectOption {
  readonly id: string;
  readonly label: string;
  readonly color: OptionColor;
}

/**
 * Values the server writes, not people: the grid shows them read-only and the form never asks.
 * - caseNumber: unique per workbook, assigned from storage (e.g. SH-0001);
 * - submittedAt: when the row was created;
 * - duplicateOf: the case number of an open request with the same phone number, written when a
 *   form submission arrives (a warning for editors, never a reason to drop the submission).
 */
export const SystemField = { caseNumber: "caseNumber", submittedAt: "submittedAt", duplicateOf: "duplicateOf" } as const;
export type SystemField = (typeof SystemField)[keyof typeof SystemField];

/** A chat-group invitation: where it leads and when the invitation stops working. */
export interface ChatGroupLink {
  readonly url: string;
  /** ISO 8601 instant, or null when the link does not expire. */
  readonly expiresAt: string | null;
}

/** Everything a cell may hold once parsed. */
export type CellValue = string | number | boolean | ChatGroupLink | null;

/** A column as readers see it: plain, complete, defaults filled in. */
export interface ColumnDef {
  readonly id: ColumnId;
  readonly type: ColumnType;
  readonly label: string;
  /** Never shown to public viewers (phones, addresses, names). */
  readonly private: boolean;
  /** Asked on the request form. */
  readonly inForm: boolean;
  /** Must be filled on the form. */
  readonly required: boolean;
  /** Choices for select and status columns; empty for other types. */
  readonly options: readonly SelectOption[];
  /** Written by the server only. */
  readonly system: SystemField | null;
  /** Help text shown under the form field. */
  readonly description: string;
  /** Preferred width in CSS pixels. */
  readonly width: number | null;
}

/** What a caller supplies to create a column; omitted fields take their defaults. */
export type ColumnInput = Partial<Omit<ColumnDef, "id" | "type" | "label">> & Pick<ColumnDef, "type" | "label"> & { readonly id?: string };
