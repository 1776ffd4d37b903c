import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { SheetKind, type WorkbookPreview, countWorkbook, openWorkbook, toPreviewRows } from "@huzhu/schema";
import type * as Y from "yjs";
import type { StoredPreviews } from "../storage/doc-store.ts";

const gzipAsync = promisify(gzip);

/** What an editor's page shows while its live workbook syncs: one tab's rows, or the 首页 figures. */
export function buildPreview(ydoc: Y.Doc, sheetId: string | null): WorkbookPreview {
  const workbook = openWorkbook(ydoc);
  const sheets = workbook.listSheets();
  const info = sheets.find((s) => s.id === sheetId) ?? sheets[0];
  const sheet = info ? workbook.readSheet(info.id) : null;
  return {
    title: workbook.readMeta().title,
    sheets,
    sheet,
    rows: sheet?.kind === SheetKind.grid ? toPreviewRows(sheet.columns, workbook.listRows(sheet.id)) : [],
    counts: sheet?.kind === SheetKind.notice ? countWorkbook(workbook) : [],
  };
}

/**
 * The gzipped preview of every tab, and the first one's again under `""`, for a compaction to
 * store (storage/doc-store.ts StoredPreviews). Serialized here, compressed on zlib's thread pool.
 */
export async function storedPreviews(ydoc: Y.Doc): Promise<StoredPreviews> {
  // Serialized together, before anything is awaited: one state of the document.
  const json = openWorkbook(ydoc)
    .listSheets()
    .map(({ id }): [string, string] => [id, JSON.stringify(buildPreview(ydoc, id))]);
  const fallback = json.length === 0 ? JSON.stringify(buildPreview(ydoc, null)) : undefined;
  const gzipped = await Promise.all(json.map(async ([id, text]): Promise<[string, Uint8Array]> => [id, await gzipAsync(text)]));
  // The first tab's bytes serve "" as well.
  const first = gzipped[0]?.[1] ?? (await gzipAsync(fallback ?? ""));
  return new Map([["", first], ...gzipped]);
}

/**
 * Previews of loaded documents, gzipped once per tab until the document next changes: after a
 * restart the whole team opens the same workbook at once, and 30,000 rows take a tenth of a second
 * to serialize and more to compress. Only the compressed bytes are kept (0.8 MB for 30,000 rows,
 * the JSON is 9 MB). What is cached is dropped at the next change, so a purge never leaves old
 * cells here, and with the document once it is unloaded.
 */
export class PreviewCache {
  private readonly docs = new WeakMap<Y.Doc, Map<string, Promise<Buffer>>>();

  /** The preview of `sheetId` (or the first tab) as gzipped JSON. */
  gzipped(ydoc: Y.Doc, sheetId: string | null): Promise<Buffer> {
    const previews = this.previewsOf(ydoc);
    const key = sheetId ?? "";
    let preview = previews.get(key);
    if (!preview) {
      const compressing = gzipAsync(JSON.stringify(buildPreview(ydoc, sheetId)));
      compressing.catch(() => {
        if (previews.get(key) === compressing) previews.delete(key);
      });
      previews.set(key, compressing);
      preview = compressing;
    }
    return preview;
  }

  private previewsOf(ydoc: Y.Doc): Map<string, Promise<Buffer>> {
    let previews = this.docs.get(ydoc);
    if (!previews) {
      const created = new Map<string, Promise<Buffer>>();
      ydoc.on("afterTransaction", (transaction) => {
        if (transaction.changed.size > 0 || transaction.deleteSet.clients.size > 0) created.clear();
      });
      this.docs.set(ydoc, created);
      previews = created;
    }
    return previews;
  }
}
