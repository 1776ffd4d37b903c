import Papa from "papaparse";
import { decodeText } from "./decode-text.ts";
import { ExchangeError, ExchangeErrorCode } from "./errors.ts";
import { ImportFormat, type ImportTable, type RawRow, type TableOptions, buildImportTable } from "./import-table.ts";

/** Delimiters a CSV import recognises, most common first. */
export const CSV_DELIMITERS = [",", "\t", ";", "|"] as const;
const PREVIEW_ROWS = 50;

// Papa's own guess counts empty lines against every delimiter; ours ignores them and picks the
// delimiter that splits most non-empty rows into the same number (above one) of fields.
function guessDelimiter(text: string): string {
  let best: { delimiter: string; share: number; fields: number } | undefined;
  for (const delimiter of CSV_DELIMITERS) {
    const rows = Papa.parse<string[]>(text, { delimiter, preview: PREVIEW_ROWS }).data.filter((row) => row.some((cell) => cell.trim()));
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row.length, (counts.get(row.length) ?? 0) + 1);
    let fields = 0;
    let rowsWithFields = 0;
    for (const [count, times] of counts) {
      if (times > rowsWithFields || (times === rowsWithFields && count > fields)) [fields, rowsWithFields] = [count, times];
    }
    const share = rows.length ? rowsWithFields / rows.length : 0;
    if (fields > 1 && (!best || share > best.share || (share === best.share && fields > best.fields))) best = { delimiter, share, fields };
  }
  return best?.delimiter ?? ",";
}

/** Reads a CSV (or TSV, semicolon- or pipe-separated) file of any recognised encoding. */
export function readCsv(bytes: Uint8Array, options: TableOptions): ImportTable {
  const { text, encoding } = decodeText(bytes);
  // One final line break ends the last row; it does not start an empty one.
  const body = text.replace(/(?:\r\n|\r|\n)$/, "");
  const delimiter = guessDelimiter(body);
  const result = Papa.parse<string[]>(body, { delimiter, skipEmptyLines: false });
  const unclosed = result.errors.find((error) => error.code === "MissingQuotes");
  if (unclosed) {
    const row = (unclosed.row ?? 0) + 1;
    throw new ExchangeError(
      ExchangeErrorCode.malformedCsv,
      `Row ${row} opens a quoted cell (") that is never closed, so the rest of the file would be read as one cell`,
      `第 ${row} 行的引号（"）没有闭合，其后的内容会被当成一个单元格；请检查该行`,
    );
  }
  const raw: RawRow[] = result.data.map((cells, i) => ({ rowNumber: i + 1, cells }));
  return buildImportTable(raw, options, { format: ImportFormat.csv, encoding, delimiter });
}
