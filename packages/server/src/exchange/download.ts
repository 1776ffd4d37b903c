/** MIME types of the two export formats. */
export const ExportContentType = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

/** The export formats. */
export type ExportFormat = keyof typeof ExportContentType;

const UNSAFE = /[\\/:*?"<>|\p{Cc}]+/gu;

/**
 * A download name such as `上海医疗紧急求助-求助-2022-04-12.csv`: the workbook title, the sheet
 * name (for CSV) and the date in China Standard Time, with characters file systems refuse removed.
 */
export function exportFileName(title: string, sheetName: string | null, format: ExportFormat, now: Date = new Date()): string {
  const day = new Date(now.getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);
  const parts = [title, sheetName, day].map((part) => (part ?? "").replace(UNSAFE, " ").trim()).filter(Boolean);
  return `${parts.join("-").slice(0, 120)}.${format}`;
}

/**
 * A `Content-Disposition` header that downloads under `fileName` in every browser: an ASCII
 * fallback plus the UTF-8 name (RFC 6266 / RFC 5987), so Chinese names survive.
 */
export function contentDisposition(fileName: string): string {
  const extension = /\.[a-z0-9]+$/i.exec(fileName)?.[0] ?? "";
  const ascii = fileName
    .replace(/[^\x20-\x7e]/g, "")
    .replace(/["\\%;]/g, "")
    .trim();
  const fallback = /[a-z]/i.test(ascii.slice(0, ascii.length - extension.length)) ? ascii : `huzhu-export${extension}`;
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
