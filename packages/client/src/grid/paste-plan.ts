import { type CellInputs, type ColumnDef, type RowId, parseCell } from "@huzhu/schema";

/** One refused value of a paste, located the way the volunteer sees it. */
export interface PasteProblem {
  /** 1-based row in the pasted block. */
  readonly line: number;
  readonly columnLabel: string;
  readonly messageZh: string;
}

/** What a paste will write: cells of existing rows, new rows past the end, or why nothing. */
export interface PastePlan {
  readonly updates: readonly { readonly rowId: RowId; readonly cells: CellInputs }[];
  readonly inserts: readonly CellInputs[];
  /** Pasted values that landed on read-only columns (case numbers) and were left out. */
  readonly skipped: number;
  readonly problems: readonly PasteProblem[];
}

/** Where a paste starts and what lies from there: rows in display order, columns in display order. */
export interface PasteTarget {
  readonly rowIds: readonly RowId[];
  readonly columns: readonly ColumnDef[];
  readonly startRow: number;
  readonly startColumn: number;
}

/**
 * Maps a pasted block onto the grid from the focused cell, like a spreadsheet: rows past the end
 * become new rows, columns past the last are dropped, system columns are skipped. Every value is
 * validated here so the whole paste can be refused before anything is written (one transaction,
 * all or nothing).
 */
export function planPaste(block: readonly (readonly string[])[], target: PasteTarget): PastePlan {
  const updates: { rowId: RowId; cells: Record<string, unknown> }[] = [];
  const inserts: Record<string, unknown>[] = [];
  const problems: PasteProblem[] = [];
  let skipped = 0;
  block.forEach((fields, line) => {
    const cells: Record<string, unknown> = {};
    fields.forEach((text, offset) => {
      const column = target.columns[target.startColumn + offset];
      if (!column) return;
      if (column.system !== null) {
        skipped++;
        return;
      }
      const parsed = parseCell(column, text);
      if (!parsed.ok) problems.push({ line: line + 1, columnLabel: column.label, messageZh: `需要${parsed.expectedZh}` });
      else cells[column.id] = text;
    });
    const rowId = target.rowIds[target.startRow + line];
    if (rowId) updates.push({ rowId, cells });
    else if (Object.keys(cells).length > 0) inserts.push(cells);
  });
  return { updates: updates.filter((u) => Object.keys(u.cells).length > 0), inserts, skipped, problems };
}

/** A paste refusal as one sentence, naming the first few bad cells. */
export function describePasteProblems(problems: readonly PasteProblem[]): string {
  const shown = problems.slice(0, 3).map((p) => `第 ${p.line} 行「${p.columnLabel}」${p.messageZh}`);
  const more = problems.length > 3 ? `等 ${problems.length} 处` : "";
  return `粘贴未完成，没有写入任何内容：${shown.join("；")}${more}。`;
}
