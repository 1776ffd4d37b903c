import type { ImportColumn, ImportMapping, ImportPlanSummary } from "./api-types.ts";

/** Which sheet column each file column fills (by file column index), as the user is choosing it. */
export interface MappingState {
  readonly headers: readonly string[];
  /** Per file column: a sheet column id, or null for 不导入. */
  readonly targets: readonly (string | null)[];
}

/** The mapping a preview was planned with, as editable state. */
export function createMappingState(headers: readonly string[], mapping: ImportMapping): MappingState {
  return { headers, targets: headers.map((_header, index) => mapping[String(index)] ?? null) };
}

/**
 * Points file column `index` at `target` (null: 不导入). A sheet column takes one file column, so
 * another file column that filled `target` is set to 不导入 (the server refuses duplicates).
 */
export function setMappingTarget(state: MappingState, index: number, target: string | null): MappingState {
  if (index < 0 || index >= state.targets.length || state.targets[index] === target) return state;
  const targets = state.targets.map((current, i) => {
    if (i === index) return target;
    return target !== null && current === target ? null : current;
  });
  return { ...state, targets };
}

/** The mapping as the server takes it: `{"0": "patientName", "1": null, …}`. */
export function mappingRequest(state: MappingState): Record<string, string | null> {
  return Object.fromEntries(state.targets.map((target, index) => [String(index), target]));
}

/** Whether two states map every file column the same way. */
export function sameMapping(a: MappingState, b: MappingState): boolean {
  return a.targets.length === b.targets.length && a.targets.every((target, i) => target === b.targets[i]);
}

/** The file column filling a sheet column, or -1. */
export function fileColumnFor(state: MappingState, columnId: string): number {
  return state.targets.indexOf(columnId);
}

/** Sheet columns a file column may fill: every importable one (the server writes the others). */
export function mappableColumns(columns: readonly ImportColumn[]): ImportColumn[] {
  return columns.filter((column) => column.importable);
}

/** Spreadsheet letter of a 0-based column index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** The plan's figures as sentences for the preview, most important first. */
export function describePlan(plan: ImportPlanSummary, columns: readonly ImportColumn[]): string[] {
  const label = (id: string) => columns.find((column) => column.id === id)?.label ?? id;
  const lines: string[] = [];
  if (plan.invalidRowCount > 0) lines.push(`${plan.invalidRowCount} 行有错误，不会导入（共 ${plan.errorCount} 处，见下方列表）。`);
  if (plan.warningCount > 0) lines.push(`${plan.warningCount} 处必填项为空，这些行仍会导入。`);
  if (plan.missingRequired.length > 0) lines.push(`文件中没有这些必填列：${plan.missingRequired.map(label).join("、")}。`);
  const system = plan.unknownColumns.filter((column) => column.reason === "system");
  if (system.length > 0) lines.push(`由系统生成的列不会导入：${system.map((c) => c.header || columnLetter(c.index)).join("、")}。`);
  const unmapped = plan.unknownColumns.filter((column) => column.reason === "unmapped");
  if (unmapped.length > 0) lines.push(`不导入的文件列：${unmapped.map((c) => c.header || `${columnLetter(c.index)} 列`).join("、")}。`);
  if (plan.skippedEmpty > 0) lines.push(`跳过 ${plan.skippedEmpty} 个空行。`);
  return lines;
}
