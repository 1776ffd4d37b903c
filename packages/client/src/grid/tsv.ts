/**
 * Tab-separated values as spreadsheets put them on the clipboard: fields containing a tab, a line
 * break or a quote are quoted, quotes doubled (what Excel, LibreOffice, Google Sheets and WPS write).
 */

function quote(field: string): string {
  return /[\t\n\r"]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** Rows of fields as TSV text. */
export function toTsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(quote).join("\t")).join("\n");
}

/** Parses clipboard TSV into rows of fields; a trailing line break does not add an empty row. */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  const endField = () => {
    row.push(field);
    field = "";
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const char = text[i] as string;
    if (char === '"' && field === "") {
      // A quoted field: runs to the next lone quote; doubled quotes are one quote.
      let j = i + 1;
      let value = "";
      while (j < text.length) {
        if (text[j] === '"' && text[j + 1] === '"') {
          value += '"';
          j += 2;
        } else if (text[j] === '"') break;
        else value += text[j++];
      }
      if (j < text.length) {
        field = value;
        i = j + 1;
        continue;
      }
      // No closing quote: not a quoted field after all, keep the text as typed.
    }
    if (char === "\t") endField();
    else if (char === "\n" || char === "\r") {
      endRow();
      if (char === "\r" && text[i + 1] === "\n") i++;
    } else field += char;
    i++;
  }
  if (field !== "" || row.length > 0) endRow();
  return rows;
}

/** Cells as spreadsheets show them (option labels, CST times), one TSV line per row. */
export function cellsToTsv<C extends { readonly id: string }, R extends { readonly cells: Readonly<Record<string, unknown>> }>(
  columns: readonly C[],
  rows: readonly R[],
  format: (column: C, value: unknown) => string,
): string {
  return toTsv(rows.map((row) => columns.map((column) => format(column, row.cells[column.id] ?? null))));
}
