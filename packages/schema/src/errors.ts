/** Stable error codes raised by the schema layer. */
export const SchemaErrorCode = {
  invalidCell: "invalid_cell",
  unknownSheet: "unknown_sheet",
  unknownRow: "unknown_row",
  invalidRow: "invalid_row",
  unknownColumn: "unknown_column",
  invalidColumn: "invalid_column",
  invalidSheet: "invalid_sheet",
  requiredMissing: "required_missing",
} as const;
export type SchemaErrorCode = (typeof SchemaErrorCode)[keyof typeof SchemaErrorCode];

/**
 * A write the schema refuses. `message` is English for integrators, `messageZh` is shown to
 * volunteers; `path` locates the offending value (sheet, row, column).
 */
export class SchemaError extends Error {
  override readonly name = "SchemaError";
  readonly code: SchemaErrorCode;
  readonly path: readonly string[];
  readonly messageZh: string;

  constructor(code: SchemaErrorCode, message: string, messageZh: string, path: readonly string[] = []) {
    super(message);
    this.code = code;
    this.path = path;
    this.messageZh = messageZh;
  }
}
