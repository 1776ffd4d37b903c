import { ColumnType, type ColumnDef, type SelectOption } from "./column.ts";
import { type ColumnTypeSpec, accept, isBlankInput, reject } from "./spec.ts";

/** The option a stored id or a typed label names, if any. */
export function findOption(column: ColumnDef, input: string): SelectOption | undefined {
  const needle = input.trim();
  return column.options.find((option) => option.id === needle) ?? column.options.find((option) => option.label === needle);
}

/** The option a stored value names (stored values are option ids), or undefined. */
export function optionOf(column: ColumnDef, value: unknown): SelectOption | undefined {
  return typeof value === "string" ? column.options.find((option) => option.id === value) : undefined;
}

function selectSpec(type: ColumnType, labelZh: string): ColumnTypeSpec<string | null> {
  return {
    type,
    labelZh,
    empty: null,
    parse(input, column) {
      if (isBlankInput(input)) return accept(null);
      const option = typeof input === "string" ? findOption(column, input) : undefined;
      if (option) return accept(option.id);
      const labels = column.options.map((o) => o.label).join(" / ");
      return reject(`one of: ${labels}`, `以下之一：${labels}`);
    },
    isValid: (value, column): value is string | null =>
      value === null || (typeof value === "string" && column.options.some((option) => option.id === value)),
    format: (value, column) => optionOf(column, value)?.label ?? "",
  };
}

/** A choice from a list, e.g. district or category. */
export const selectColumn = selectSpec(ColumnType.select, "单选");
/** A choice that drives the workflow, e.g. verification status; shown as a coloured chip. */
export const statusColumn = selectSpec(ColumnType.status, "状态");
