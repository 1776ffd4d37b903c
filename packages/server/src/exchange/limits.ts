/** How much an import file may hold; anything beyond is refused before it is planned. */
export interface ImportLimits {
  /** Size of the uploaded file. */
  readonly maxBytes: number;
  /** Size an XLSX file unpacks to (guards against zip bombs). */
  readonly maxUnzippedBytes: number;
  /** Data rows, not counting the header row or empty rows. */
  readonly maxRows: number;
  /** Columns up to the last non-empty one. */
  readonly maxColumns: number;
  /** Characters in one cell (Excel's own limit is 32,767). */
  readonly maxCellLength: number;
}

/** The limits an import uses unless told otherwise. */
export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxUnzippedBytes: 64 * 1024 * 1024,
  maxRows: 20_000,
  maxColumns: 200,
  maxCellLength: 32_767,
};

/** A size in the unit people read: `10 MiB`, `512 KiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} B`;
}
