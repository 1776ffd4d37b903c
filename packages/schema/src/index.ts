export { SchemaError, SchemaErrorCode } from "./errors.ts";
export {
  type ColumnId,
  type RowId,
  type SheetId,
  type WorkbookId,
  ID_PATTERN,
  WORKBOOK_ID_PATTERN,
  createColumnId,
  createRowId,
  createSheetId,
  createWorkbookId,
  isId,
  isWorkbookId,
  randomBase32,
} from "./ids.ts";
export {
  type CellValue,
  type ChatGroupLink,
  type ColumnDef,
  type ColumnInput,
  type SelectOption,
  ColumnType,
  OptionColor,
  SystemField,
  isChoiceColumn,
} from "./columns/column.ts";
export type { ColumnTypeSpec, ParseResult } from "./columns/spec.ts";
export { columnTypes, formatCell, isColumnType, isEmptyCell, parseCell, readCell } from "./columns/index.ts";
export { isChatGroupExpired } from "./columns/chat-group.ts";
export { formatInstantCst, isIsoInstant } from "./columns/date-time.ts";
export { normalizePhone } from "./columns/phone.ts";
export { findOption, optionOf } from "./columns/select.ts";
export { type CardColumns, type TintedSheet, cardColumns, findTintColumn, rowTint } from "./sheets/card.ts";
export { type ColumnCounts, type OptionCount, type SheetCounts, countSheet, countWorkbook, countedColumns } from "./sheets/counts.ts";
export {
  HistoryEvent,
  type HistoryEntry,
  type HistoryPage,
  type IgnoredColumn,
  type ImportIssue,
  ImportIssueCode,
  type WorkbookPreview,
  type RestoreSkip,
  type VersionInfo,
  VersionKind,
  type WorkbookSession,
} from "./api-types.ts";
export { parseSafeUrl } from "./columns/url.ts";
export { type PreviewRow, fromPreviewRows, toPreviewRows } from "./preview-rows.ts";
export {
  type PublicCondition,
  type PublicRule,
  type Sheet,
  type SheetColumn,
  type SheetInfo,
  type SheetInput,
  type SheetPatch,
  PublicMode,
  SheetKind,
} from "./sheets/sheet.ts";
export { type Template, TemplateId, createFromTemplate, isTemplateId, templates } from "./sheets/templates.ts";
export {
  type CellInputs,
  type InsertRowsOptions,
  type OpenWorkbookOptions,
  type RowPlacement,
  type Workbook,
  type WorkbookMeta,
  openWorkbook,
} from "./doc/workbook.ts";
export { type Row, resolveTintColumn } from "./doc/read.ts";
export {
  type CellChange,
  type SheetChanges,
  type WorkbookChanges,
  describeCellChanges,
  describeSheetEvents,
  observeCellChanges,
  observeWorkbook,
} from "./doc/changes.ts";
export { compareOrdered } from "./doc/order.ts";
export { type DocPath, LIST_POSITION, isInsertedCellsPath, isRowPath, isRowValuePath } from "./doc/paths.ts";
export {
  type PublicRow,
  type PublicSheet,
  type PublicWorkbook,
  applyProjection,
  isRowPublic,
  publicProjection,
  publicRowText,
  publicViewJson,
} from "./projection.ts";
export { type PublicViewTracker, trackPublicView } from "./public-view-tracker.ts";
export {
  type FormField,
  type FormFieldError,
  type FormValidation,
  formFields,
  validateFormAnswer,
  validateFormSubmission,
} from "./forms.ts";
export { DEFAULT_RETENTION_DAYS, type RetentionPolicy, isDueForPurge, isRowClosed, readRetentionPolicy } from "./retention.ts";
