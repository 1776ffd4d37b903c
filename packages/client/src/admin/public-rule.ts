import {
  ColumnType,
  type PublicCondition,
  type PublicRule,
  type Row,
  type Sheet,
  type SheetColumn,
  isRowPublic,
  optionOf,
  isChoiceColumn,
} from "@huzhu/schema";

/** How one select or status column limits the public rows. */
export const ConditionMode = {
  /** No limit from this column. */
  any: "any",
  /** Only rows holding one of the chosen options (none chosen: no row). */
  anyOf: "anyOf",
  /** No row holding one of the chosen options. */
  noneOf: "noneOf",
} as const;
export type ConditionMode = (typeof ConditionMode)[keyof typeof ConditionMode];

/** A column's part of a rule, as the editor shows it. */
export interface ColumnCondition {
  readonly mode: ConditionMode;
  readonly options: readonly string[];
}

/** Columns a rule can test: select and status columns (their cells hold option ids). */
export function ruleColumns(sheet: Sheet): SheetColumn[] {
  return sheet.columns.filter(isChoiceColumn);
}

/** What the rule says about one column (its first condition; the editor writes one per column). */
export function conditionFor(rule: PublicRule, columnId: string): ColumnCondition {
  const condition = rule.all.find((c) => c.columnId === columnId);
  if (condition?.anyOf) return { mode: ConditionMode.anyOf, options: condition.anyOf };
  if (condition?.noneOf) return { mode: ConditionMode.noneOf, options: condition.noneOf };
  return { mode: ConditionMode.any, options: [] };
}

/** The condition in the stored shape (`{columnId, anyOf?, noneOf?}`, the key order the schema validates). */
function toCondition(columnId: string, { mode, options }: ColumnCondition): PublicCondition | null {
  if (mode === ConditionMode.anyOf) return { columnId, anyOf: [...options] };
  if (mode === ConditionMode.noneOf) return { columnId, noneOf: [...options] };
  return null;
}

/** The rule with `columnId`'s conditions replaced by `condition`; the other columns keep their place. */
export function withCondition(rule: PublicRule, columnId: string, condition: ColumnCondition): PublicRule {
  const next = toCondition(columnId, condition);
  const all: PublicCondition[] = [];
  let placed = false;
  for (const existing of rule.all) {
    if (existing.columnId !== columnId) all.push(existing);
    else if (!placed && next) {
      all.push(next);
      placed = true;
    }
  }
  if (!placed && next) all.push(next);
  return { all };
}

/** Switches one option in or out of a column's condition. */
export function toggleOption(rule: PublicRule, columnId: string, optionId: string): PublicRule {
  const current = conditionFor(rule, columnId);
  const options = current.options.includes(optionId) ? current.options.filter((o) => o !== optionId) : [...current.options, optionId];
  return withCondition(rule, columnId, { mode: current.mode, options });
}

/** Conditions on columns the sheet no longer has (they keep every row private, SPEC 9). */
export function orphanConditions(rule: PublicRule, sheet: Sheet): PublicCondition[] {
  return rule.all.filter((c) => !sheet.columns.some((column) => column.id === c.columnId));
}

/**
 * The rule the 求助 template starts with: a request is public once verified (核实状态 已核实) and
 * until it is closed (跟进状态 已关闭). Null for sheets without those columns and options.
 */
export function recommendedRule(sheet: Sheet): PublicRule | null {
  const has = (columnId: string, optionId: string) =>
    sheet.columns.some((c) => c.id === columnId && c.type === ColumnType.status && c.options.some((o) => o.id === optionId));
  if (!has("verification", "verified") || !has("followUp", "closed")) return null;
  return {
    all: [
      { columnId: "verification", anyOf: ["verified"] },
      { columnId: "followUp", noneOf: ["closed"] },
    ],
  };
}

/** Whether two rules are the same (for showing that the recommended one is in use). */
export function sameRule(a: PublicRule, b: PublicRule): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** How many of `rows` a public rule lets through. */
export function countPublicRows(rule: PublicRule, sheet: Sheet, rows: readonly Row[]): number {
  return rows.filter((row) => isRowPublic(rule, sheet.columns, row)).length;
}

/** A rule in words, e.g. 「核实状态」为 已核实；「跟进状态」不是 已关闭. */
export function describeRule(rule: PublicRule, sheet: Sheet): string {
  if (rule.all.length === 0) return "没有条件：所有行都公开";
  return rule.all
    .map((condition) => {
      const column = sheet.columns.find((c) => c.id === condition.columnId);
      if (!column) return "（已删除的列：没有行公开）";
      const names = (ids: readonly string[]) => ids.map((id) => optionOf(column, id)?.label ?? id).join(" 或 ") || "（未选择）";
      if (condition.anyOf) return `「${column.label}」为 ${names(condition.anyOf)}`;
      if (condition.noneOf) return `「${column.label}」不是 ${names(condition.noneOf)}`;
      return `「${column.label}」不限`;
    })
    .join("，且 ");
}
