import { type ColumnDef, formatCell, formatInstantCst, readCell } from "@huzhu/schema";
import { type HistoryEntry, HistoryEvent } from "@huzhu/schema";

/** What a purged value shows instead of itself. */
export const ERASED_TEXT = "已清除";
/** What an empty value shows. */
export const EMPTY_TEXT = "（空）";

/** A history line ready to draw. */
export interface HistoryLine {
  readonly id: number;
  /** Who: a link label, 表单, 系统 … */
  readonly who: string;
  /** When, in China Standard Time: `2022-04-12 09:30`. */
  readonly when: string;
  /** How, when it was not a plain edit (导入, 从版本恢复 …); null for edits. */
  readonly via: string | null;
  /** The column's label for a cell change; for row events, what happened to the row. */
  readonly what: string;
  readonly isCell: boolean;
  /** Old and new value as the grid shows them; null for row events. */
  readonly before: string | null;
  readonly after: string | null;
  /** A purge erased the values: both show 「已清除」. */
  readonly erased: boolean;
}

/** Who made a change, in words: link labels as they are, server writers named in Chinese. */
export function describeActor(actor: string): string {
  if (actor === "form") return "表单";
  if (actor === "system" || actor.startsWith("system:")) return "系统";
  if (actor === "admin") return "管理员";
  if (actor === "unknown" || actor.trim() === "") return "未知";
  return actor;
}

const VIA_LABELS: Readonly<Record<string, string>> = {
  import: "导入",
  restore: "从版本恢复",
  "form-submission": "表单提交",
  "manage-update": "求助者修改",
  "manage-withdraw": "求助者撤回",
  "case-numbers": "自动编号",
  retention: "到期自动清除",
  purge: "立即清除",
  "public-projection": "系统",
};

/** How a change was made, when it was not someone editing the grid; null for plain edits. */
export function describeVia(via: string): string | null {
  if (via === "edit") return null;
  return VIA_LABELS[via] ?? null;
}

const EVENT_LABELS: Readonly<Record<Exclude<HistoryEvent, "cell">, string>> = {
  created: "创建了此行",
  trashed: "移到回收站",
  untrashed: "从回收站恢复",
  closed: "已结案，开始计算个人信息保留期",
  reopened: "重新打开",
  purged: "清除了个人信息",
  removed: "永久删除了此行",
  other: "修改了行信息",
};

/** A stored value as the grid would show it; values of unknown columns as plain text. */
export function formatHistoryValue(column: ColumnDef | undefined, value: unknown): string {
  if (value === undefined || value === null) return EMPTY_TEXT;
  const text = column ? formatCell(column, readCell(column, value)) : typeof value === "string" ? value : JSON.stringify(value);
  return text === "" ? EMPTY_TEXT : text;
}

/**
 * One history entry in words: who, when (UTC+8), which column, old → new formatted with the
 * schema's `formatCell` for that column, erased values as 「已清除」.
 */
export function formatHistoryEntry(entry: HistoryEntry, columns: ReadonlyMap<string, ColumnDef>): HistoryLine {
  const isCell = entry.event === HistoryEvent.cell;
  const column = entry.columnId === null ? undefined : columns.get(entry.columnId);
  const what = isCell ? (column?.label ?? "已删除的列") : EVENT_LABELS[entry.event as Exclude<HistoryEvent, "cell">];
  const value = (v: unknown) => (entry.valuesErased ? ERASED_TEXT : formatHistoryValue(column, v));
  return {
    id: entry.id,
    who: describeActor(entry.actor),
    when: formatInstantCst(entry.at),
    // Retention also stamps when a row was closed; its label is about purging, not closing.
    via: entry.via === "retention" && !isCell && entry.event !== HistoryEvent.purged ? null : describeVia(entry.via),
    what: what ?? EVENT_LABELS.other,
    isCell,
    before: isCell ? value(entry.before) : null,
    after: isCell ? value(entry.after) : null,
    erased: entry.valuesErased,
  };
}

/** Lines newest first (the server's order; kept stable when pages are appended). */
export function formatHistory(entries: readonly HistoryEntry[], columns: readonly ColumnDef[]): HistoryLine[] {
  const byId = new Map(columns.map((column) => [column.id as string, column]));
  return [...entries].sort((a, b) => b.id - a.id).map((entry) => formatHistoryEntry(entry, byId));
}

/** A version's time and name in a few words. */
export function describeVersion(version: { kind: string; name: string | null; createdAt: string }): string {
  if (version.kind === "named") return version.name ?? "未命名版本";
  if (version.kind === "before-restore") return "恢复前自动保存";
  return "自动保存";
}
