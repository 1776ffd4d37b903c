import {
  type CellValue,
  type ColumnDef,
  ColumnType,
  type FormField,
  type Row,
  type SelectOption,
  type Sheet,
  type SheetColumn,
  SystemField,
  type Workbook,
  formFields,
  optionOf,
} from "@huzhu/schema";

/** A status column the form writes or reads. */
export interface StatusColumn {
  readonly column: SheetColumn;
  /** The option id a new submission starts at, if the column has one. */
  readonly initial: string | null;
}

/** Everything the form needs to know about a workbook's form sheet. */
export interface FormSheet {
  readonly title: string;
  readonly sheet: Sheet;
  readonly fields: readonly FormField[];
  /** Verification status: new submissions start at 待核实. */
  readonly verification: StatusColumn | null;
  /** Follow-up status: new submissions start at 待跟进; withdrawing sets 已关闭. */
  readonly followUp: (StatusColumn & { readonly doneIds: readonly string[]; readonly closedId: string | null }) | null;
  /** Where the server leaves notes for editors (申请人已撤回 …). */
  readonly notes: SheetColumn | null;
  /** In-form phone columns, compared for the duplicate warning. */
  readonly phoneFieldIds: readonly string[];
  readonly caseNumber: ColumnDef | null;
  readonly duplicateOf: ColumnDef | null;
}

const byLabel = (options: readonly SelectOption[], label: string) => options.find((option) => option.label === label)?.id ?? null;

function statusColumns(sheet: Sheet): SheetColumn[] {
  return sheet.columns.filter((c) => c.type === ColumnType.status && !c.inForm && c.system === null);
}

/**
 * Reads the workbook's form sheet (meta.formSheetId). Workflow columns are found by meaning, not
 * by id, so a sheet an admin built by hand works too: the follow-up column is the retention
 * policy's status column (its closed options are what "done" means), else a status column with
 * an option 已关闭; the verification column is a status column with an option 待核实.
 */
export function readFormSheet(workbook: Workbook): FormSheet | undefined {
  const meta = workbook.readMeta();
  const sheetId = meta.formSheetId;
  if (!sheetId) return undefined;
  const sheet = workbook.readSheet(sheetId);
  const statuses = statusColumns(sheet);

  const policy = meta.retention?.sheetId === sheetId ? meta.retention : null;
  const followColumn =
    statuses.find((c) => c.id === policy?.statusColumnId) ?? statuses.find((c) => byLabel(c.options, "已关闭") !== null) ?? null;
  const doneIds = policy && followColumn?.id === policy.statusColumnId ? policy.closedOptionIds : [];
  const followUp = followColumn && {
    column: followColumn,
    initial: byLabel(followColumn.options, "待跟进"),
    doneIds:
      doneIds.length > 0
        ? doneIds
        : ["已解决", "已关闭"].map((label) => byLabel(followColumn.options, label)).filter((id): id is string => id !== null),
    closedId: byLabel(followColumn.options, "已关闭") ?? doneIds.at(-1) ?? null,
  };
  const verificationColumn = statuses.find((c) => c !== followColumn && byLabel(c.options, "待核实") !== null) ?? null;

  return {
    title: meta.title,
    sheet,
    fields: formFields(sheet),
    verification: verificationColumn && { column: verificationColumn, initial: byLabel(verificationColumn.options, "待核实") },
    followUp,
    notes:
      sheet.columns.find((c) => c.id === "notes" && c.type === ColumnType.longText) ??
      sheet.columns.find((c) => c.type === ColumnType.longText && !c.inForm && c.system === null) ??
      null,
    phoneFieldIds: sheet.columns.filter((c) => c.inForm && c.type === ColumnType.phone).map((c) => c.id),
    caseNumber: workbook.systemColumn(sheetId, SystemField.caseNumber) ?? null,
    duplicateOf: workbook.systemColumn(sheetId, SystemField.duplicateOf) ?? null,
  };
}

/** The option a status cell holds, for showing it. */
export function statusOf(status: StatusColumn | null, row: Row): SelectOption | null {
  return (status && optionOf(status.column, row.cells[status.column.id])) || null;
}

/** Whether a request is still open: its follow-up status is not a done one (已解决, 已关闭). */
export function isOpen(form: FormSheet, row: Row): boolean {
  if (row.deletedAt !== null) return false;
  const value = form.followUp ? row.cells[form.followUp.column.id] : null;
  return !(typeof value === "string" && form.followUp?.doneIds.includes(value));
}

/** A note line for editors, stamped in China Standard Time, appended to what is there. */
export function appendNote(current: CellValue | undefined, line: string, maxLength = 5_000): string {
  const text = typeof current === "string" && current.trim() !== "" ? `${current}\n${line}` : line;
  return text.length > maxLength ? text.slice(text.length - maxLength) : text;
}
