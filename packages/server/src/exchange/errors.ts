/** Stable codes of everything import and export refuse. */
export const ExchangeErrorCode = {
  fileTooLarge: "file_too_large",
  emptyFile: "empty_file",
  unsupportedFormat: "unsupported_format",
  unknownEncoding: "unknown_encoding",
  malformedCsv: "malformed_csv",
  malformedXlsx: "malformed_xlsx",
  unknownWorksheet: "unknown_worksheet",
  tooManyRows: "too_many_rows",
  tooManyColumns: "too_many_columns",
  cellTooLong: "cell_too_long",
  unknownSheet: "unknown_sheet",
  notGridSheet: "not_grid_sheet",
  invalidMapping: "invalid_mapping",
  unknownColumn: "unknown_column",
  duplicateMapping: "duplicate_mapping",
  stalePlan: "stale_plan",
} as const;
export type ExchangeErrorCode = (typeof ExchangeErrorCode)[keyof typeof ExchangeErrorCode];

// What an HTTP route should answer with; the routes own the response, this only saves them a table.
const STATUS: Readonly<Record<ExchangeErrorCode, number>> = {
  file_too_large: 413,
  empty_file: 422,
  unsupported_format: 415,
  unknown_encoding: 422,
  malformed_csv: 422,
  malformed_xlsx: 422,
  unknown_worksheet: 422,
  too_many_rows: 413,
  too_many_columns: 413,
  cell_too_long: 413,
  unknown_sheet: 404,
  not_grid_sheet: 400,
  invalid_mapping: 400,
  unknown_column: 400,
  duplicate_mapping: 400,
  stale_plan: 409,
};

/**
 * A file, mapping or plan that import or export refuses as a whole. `message` is English for
 * integrators, `messageZh` is shown to volunteers; both say what was wrong and what is accepted.
 */
export class ExchangeError extends Error {
  override readonly name = "ExchangeError";
  readonly code: ExchangeErrorCode;
  readonly messageZh: string;
  /** The HTTP status a route should answer with. */
  readonly status: number;

  constructor(code: ExchangeErrorCode, message: string, messageZh: string) {
    super(message);
    this.code = code;
    this.messageZh = messageZh;
    this.status = STATUS[code];
  }
}
