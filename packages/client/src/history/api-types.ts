import type { ColumnType, IgnoredColumn, ImportIssue, RestoreSkip, Row, SheetColumn, SheetId, SheetKind, VersionInfo } from "@huzhu/schema";

// The server's answers, as docs/api.md describes them. Those the server builds from one type are
// shared through the schema (api-types.ts); these are the client's view of composite answers
// (packages/server/src/http/history-routes.ts, exchange-routes.ts, lifecycle-routes.ts).

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
