import type { ColumnType, Row, SheetColumn, SheetId, SheetKind } from "@huzhu/schema";

// The server's answers, as docs/api.md describes them (packages/server/src/http/history-routes.ts,
// exchange-routes.ts, lifecycle-routes.ts). The client never imports the server: these mirror it.

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
  /** Old and new value as stored; absent when there was none or a purge erased it. */
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

/** A saved version of the workbook (without its contents). */
export interface VersionInfo {
  readonly id: number;
  readonly workbookId: string;
  readonly kind: VersionKind;
  /** The name given by whoever saved it; null for automatic versions. */
  readonly name: string | null;
  /** Link label of whoever saved it, or "system". */
  readonly createdBy: string;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly byteSize: number;
}

/** One sheet of a past version, as plain data. */
export interface VersionSheet {
  readonly id: SheetId;
  readonly name: string;
  readonly kind: SheetKind;
  readonly body: string;
  readonly columns: readonly SheetColumn[];
  /** Every row in order, trashed ones included (`deletedAt` set). */
  readonly rows: readonly Row[];
}

/** `GET /api/workbooks/:id/versions/:vid`: a past version to show read-only. */
export interface VersionView {
  readonly version: VersionInfo;
  readonly workbook: { readonly title: string; readonly sheets: readonly VersionSheet[] };
}

/** Something a restore left as it was. */
export interface RestoreSkip {
  readonly sheetId: string;
  readonly rowId?: string;
  readonly columnId?: string;
  readonly reason: "sheet-missing" | "row-missing" | "value-not-accepted" | "purged";
}

/** `POST …/versions/:vid/restore`. */
export interface RestoreResult {
  readonly cellsChanged: number;
  readonly rowsChanged: number;
  readonly rowsTrashed: number;
  readonly rowsUntrashed: number;
  readonly sheetsChanged: number;
  readonly skipped: readonly RestoreSkip[];
  /** The version saved just before the restore, to go back. */
  readonly beforeRestore: VersionInfo;
}

/** One cell an import refuses (error) or takes with a remark (warning). */
export interface ImportIssue {
  readonly code: "invalid_cell" | "required_missing";
  /** Row number in the file, as a spreadsheet program shows it. */
  readonly row: number;
  readonly column: string;
  /** File column letter (A, B, … AA). */
  readonly fileColumn: string;
  readonly header: string;
  readonly value: string;
  readonly message: string;
  readonly messageZh: string;
}

/** A file column the import leaves out. */
export interface IgnoredColumn {
  readonly index: number;
  readonly header: string;
  readonly reason: "unmapped" | "system";
}

/** What an import would do; nothing has changed yet. */
export interface ImportPlanSummary {
  readonly sheetId: SheetId;
  readonly validRowCount: number;
  readonly errors: readonly ImportIssue[];
  readonly errorCount: number;
  readonly invalidRowCount: number;
  readonly warnings: readonly ImportIssue[];
  readonly warningCount: number;
  readonly unknownColumns: readonly IgnoredColumn[];
  readonly missingRequired: readonly string[];
  readonly skippedEmpty: number;
}

/** File column index → sheet column id, or null to leave it out. */
export type ImportMapping = Readonly<Record<string, string | null>>;

/** A sheet column as the import preview describes it. */
export interface ImportColumn {
  readonly id: string;
  readonly label: string;
  readonly type: ColumnType;
  readonly required: boolean;
  readonly private: boolean;
  /** False for columns the server writes (case number, submitted at). */
  readonly importable: boolean;
}

/** `POST /api/workbooks/:id/import/preview`. */
export interface ImportPreview {
  readonly file: {
    readonly format: "csv" | "xlsx";
    readonly encoding: string | null;
    readonly delimiter: string | null;
    readonly worksheet: string | null;
    readonly worksheets: readonly string[] | null;
    readonly headerRow: number;
    readonly headers: readonly string[];
    readonly rowCount: number;
    /** The first rows of the file. */
    readonly sample: readonly (readonly string[])[];
  };
  readonly sheet: { readonly id: SheetId; readonly name: string; readonly columns: readonly ImportColumn[] };
  readonly suggestedMapping: ImportMapping;
  /** The mapping the plan was made with (the one sent, else the suggestion). */
  readonly mapping: ImportMapping;
  readonly plan: ImportPlanSummary;
}

/** `POST /api/workbooks/:id/import/apply`. */
export interface ImportResult {
  readonly imported: number;
  readonly rowIds: readonly string[];
  readonly plan: ImportPlanSummary;
}

/** `POST …/rows/:sheetId/:rowId/purge`. */
export interface PurgeResult {
  readonly scope: "private" | "row";
  readonly rows: number;
  readonly cells: number;
  readonly versionsRewritten: number;
  readonly auditEntriesErased: number;
  readonly ms: number;
}
