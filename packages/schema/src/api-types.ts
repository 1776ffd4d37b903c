import type { ColumnId } from "./ids.ts";
import type { PreviewRow } from "./preview-rows.ts";
import type { SheetCounts } from "./sheets/counts.ts";
import type { Sheet, SheetInfo } from "./sheets/sheet.ts";

// Answers of the server's HTTP API that the client reads, as docs/api.md describes them: one
// definition for the server that sends them and the client that reads them.

/** Answer of `GET /api/workbooks/:id/session` and `GET /api/session`: what the client needs to open the workbook. */
export interface WorkbookSession {
  readonly workbookId: string;
  readonly role: string;
  readonly label: string;
  readonly color: string;
  /**
   * The document this link opens: the workbook (admin, editor), its public projection (public),
   * or null for a form link, which opens no document.
   */
  readonly documentName: string | null;
  /** The workbook's read-only public projection document (`<id>.public`). */
  readonly publicDocumentName: string;
  readonly collabUrl: string;
}

/**
 * Answer of `GET /api/workbooks/:id/preview?sheet=<id>`: what an editor's page shows, read-only,
 * while the live workbook is still on its way (a large workbook takes seconds to sync and apply).
 */
export interface WorkbookPreview {
  readonly title: string;
  readonly sheets: readonly SheetInfo[];
  /** The sheet asked for, else the first tab; null for a workbook without sheets. */
  readonly sheet: Sheet | null;
  /** That sheet's rows out of the trash, when it is a grid (`fromPreviewRows` reads them). */
  readonly rows: readonly PreviewRow[];
  /** The 首页 figures, when the sheet is a notice. */
  readonly counts: readonly SheetCounts[];
}

/** What a row-history line is about: a cell, or the row itself. */
export const HistoryEvent = {
  cell: "cell",
  created: "created",
  trashed: "trashed",
  untrashed: "untrashed",
  closed: "closed",
  reopened: "reopened",
  purged: "purged",
  removed: "removed",
  other: "other",
} as const;
export type HistoryEvent = (typeof HistoryEvent)[keyof typeof HistoryEvent];

/** One line of `GET /api/workbooks/:id/rows/:sheetId/:rowId/history`. */
export interface HistoryEntry {
  readonly id: number;
  /** ISO 8601. */
  readonly at: string;
  /** The link label of whoever made the change, or "form" / "system" / "system:<what>". */
  readonly actor: string;
  /** edit, import, restore, form-submission, case-numbers, retention, purge… */
  readonly via: string;
  readonly event: HistoryEvent;
  /** The column of a cell change; null for row events. */
  readonly columnId: string | null;
  /** Old and new value as stored (JSON values); absent when there was none or a purge erased it. */
  readonly before?: unknown;
  readonly after?: unknown;
  /** A purge erased this entry's values; who and when remain. */
  readonly valuesErased: boolean;
}

/** A page of a row's history, newest first; `next` is the id to pass as `before` for older lines. */
export interface HistoryPage {
  readonly entries: readonly HistoryEntry[];
  readonly next: number | null;
}

/** Why a version was saved. */
export const VersionKind = { auto: "auto", named: "named", beforeRestore: "before-restore" } as const;
export type VersionKind = (typeof VersionKind)[keyof typeof VersionKind];

/** A saved version of a workbook, without its state. */
export interface VersionInfo {
  readonly id: number;
  readonly workbookId: string;
  readonly kind: VersionKind;
  /** Given by whoever saved a named version; null for automatic ones. */
  readonly name: string | null;
  /** The link label of whoever saved it, or "system". */
  readonly createdBy: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** Size of the stored state in bytes. */
  readonly byteSize: number;
}

/** Something a restore left as it was. */
export interface RestoreSkip {
  readonly sheetId: string;
  readonly rowId?: string;
  readonly columnId?: string;
  readonly reason: "sheet-missing" | "row-missing" | "value-not-accepted" | "purged";
}

/** Kinds of per-cell finding of an import plan. */
export const ImportIssueCode = { invalidCell: "invalid_cell", requiredMissing: "required_missing" } as const;
export type ImportIssueCode = (typeof ImportIssueCode)[keyof typeof ImportIssueCode];

/** One cell an import refuses (error) or imports with a remark (warning). */
export interface ImportIssue {
  readonly code: ImportIssueCode;
  /** 1-based row number in the file, as a spreadsheet program shows it. */
  readonly row: number;
  /** The sheet column the cell was meant for. */
  readonly column: ColumnId;
  /** The file column, as a spreadsheet names it (A, B, … AA). */
  readonly fileColumn: string;
  /** The file column's header. */
  readonly header: string;
  /** The cell's text (at most 80 characters). */
  readonly value: string;
  readonly message: string;
  readonly messageZh: string;
}

/** A file column the import leaves out. */
export interface IgnoredColumn {
  /** 0-based index of the file column. */
  readonly index: number;
  readonly header: string;
  /**
   * `system`: mapped to, or named like, a column the server writes (case number, submitted at);
   * `unmapped`: no sheet column chosen.
   */
  readonly reason: "unmapped" | "system";
}
