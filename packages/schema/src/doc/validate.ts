import { type ColumnInput, OptionColor, SystemField, isChoiceColumn } from "../columns/column.ts";
import { isColumnType } from "../columns/index.ts";
import { SchemaError, SchemaErrorCode } from "../errors.ts";
import { isId } from "../ids.ts";
import { PublicMode, type SheetPatch } from "../sheets/sheet.ts";
import { ColumnKey } from "./layout.ts";
import { readPublicRule } from "./read.ts";

function invalidColumn(message: string, messageZh: string, path: readonly string[]): never {
  throw new SchemaError(SchemaErrorCode.invalidColumn, message, messageZh, path);
}

/** Refuses a column definition a reader would have to repair. */
export function validateColumnInput(input: Partial<ColumnInput> & Pick<ColumnInput, "type">, path: readonly string[]): void {
  if (!isColumnType(input.type)) invalidColumn(`Unknown column type "${String(input.type)}"`, "未知的列类型", path);
  if (input.id !== undefined && !isId(input.id))
    invalidColumn(`Column id "${input.id}" must match [a-z][a-zA-Z0-9_]{0,39}`, "列 id 不合法", path);
  if (input.label !== undefined && (typeof input.label !== "string" || input.label.trim() === "" || input.label.length > 100)) {
    invalidColumn("A column label is 1 to 100 characters", "列名须为 1 至 100 个字", path);
  }
  for (const flag of ["private", "inForm", "required"] as const) {
    if (input[flag] !== undefined && typeof input[flag] !== "boolean")
      invalidColumn(`"${flag}" is true or false`, `「${flag}」须为是或否`, path);
  }
  if (input.system != null && !Object.values(SystemField).includes(input.system))
    invalidColumn(`Unknown system field "${input.system}"`, "未知的系统字段", path);
  const needsOptions = isChoiceColumn(input);
  if (needsOptions && input.options !== undefined) {
    const ids = new Set<string>();
    for (const option of input.options) {
      if (typeof option.id !== "string" || option.id === "" || option.id.length > 60 || ids.has(option.id)) {
        invalidColumn(`Option ids are unique non-empty strings (got "${String(option.id)}")`, "选项 id 须唯一且非空", path);
      }
      if (typeof option.label !== "string" || option.label.trim() === "")
        invalidColumn("Every option has a label", "每个选项都要有名称", path);
      if (!Object.values(OptionColor).includes(option.color))
        invalidColumn(`Unknown option colour "${option.color}"`, "未知的选项颜色", path);
      ids.add(option.id);
    }
  }
}

/** The stored entries of a column input (only fields present). */
export function columnPatchEntries(input: Partial<ColumnInput>): Record<string, unknown> {
  const entries: Record<string, unknown> = {};
  const copy = (field: keyof ColumnInput, key: string) => {
    if (input[field] !== undefined) entries[key] = input[field];
  };
  copy("label", ColumnKey.label);
  copy("private", ColumnKey.private);
  copy("inForm", ColumnKey.inForm);
  copy("required", ColumnKey.required);
  copy("system", ColumnKey.system);
  copy("description", ColumnKey.description);
  copy("width", ColumnKey.width);
  if (input.options !== undefined) entries[ColumnKey.options] = input.options.map(({ id, label, color }) => ({ id, label, color }));
  return entries;
}

/** Refuses sheet properties a reader would have to repair. */
export function validateSheetPatch(patch: SheetPatch, path: readonly string[]): void {
  const fail = (message: string, messageZh: string) => {
    throw new SchemaError(SchemaErrorCode.invalidSheet, message, messageZh, path);
  };
  if (patch.name !== undefined && (typeof patch.name !== "string" || patch.name.trim() === "" || patch.name.length > 100)) {
    fail("A sheet name is 1 to 100 characters", "工作表名须为 1 至 100 个字");
  }
  if (patch.body !== undefined && (typeof patch.body !== "string" || patch.body.length > 10_000))
    fail("Notice text is at most 10,000 characters", "公告不超过一万字");
  if (patch.publicMode !== undefined && !Object.values(PublicMode).includes(patch.publicMode))
    fail(`Unknown public mode "${patch.publicMode}"`, "未知的公开方式");
  if (patch.publicRule !== undefined && JSON.stringify(readPublicRule(patch.publicRule)) !== JSON.stringify(patch.publicRule)) {
    fail("A public rule is {all: [{columnId, anyOf?, noneOf?}]}", "公开规则格式不正确");
  }
}
