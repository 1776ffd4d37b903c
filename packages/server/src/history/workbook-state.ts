import { type PublicMode, type Row, type SheetColumn, type SheetId, type SheetKind, type Workbook, openWorkbook } from "@huzhu/schema";
import * as Y from "yjs";

/** A stored state (V1) opened as a workbook in a scratch document of its own. */
export function openWorkbookState(state: Uint8Array, options: { origin?: unknown; now?: () => Date } = {}): Workbook {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, state);
  return openWorkbook(ydoc, options);
}

/** One sheet of a workbook as a read-only view shows it. */
export interface SheetView {
  readonly id: SheetId;
  readonly name: string;
  readonly kind: SheetKind;
  /** Notice text (notice sheets). */
  readonly body: string;
  readonly publicMode: PublicMode;
  readonly columns: readonly SheetColumn[];
  /** Every row in order, trashed ones included (their `deletedAt` is set). */
  readonly rows: readonly Row[];
}

/** A whole workbook as plain data, for a client to render read-only (e.g. a past version). */
export interface WorkbookView {
  readonly title: string;
  readonly sheets: readonly SheetView[];
}

/** Everything an editor may see of a workbook, as plain data. */
export function viewWorkbook(workbook: Workbook): WorkbookView {
  return {
    title: workbook.readMeta().title,
    sheets: workbook.listSheets().map((info) => {
      const sheet = workbook.readSheet(info.id);
      return {
        id: sheet.id,
        name: sheet.name,
        kind: sheet.kind,
        body: sheet.body,
        publicMode: sheet.publicMode,
        columns: sheet.columns,
        rows: workbook.listRows(sheet.id, { includeDeleted: true }),
      };
    }),
  };
}
