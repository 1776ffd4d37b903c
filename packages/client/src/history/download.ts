/**
 * The file name of a `Content-Disposition` header: the UTF-8 `filename*` (RFC 5987) when there
 * is one, else the plain `filename`, else `fallback`. Path separators are dropped.
 */
export function fileNameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  let name: string | null = null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended?.[2]) {
    try {
      name = decodeURIComponent(extended[2].trim());
    } catch {
      name = null;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
    name = plain ? (plain[1] ?? plain[2] ?? "").replace(/\\(.)/g, "$1") : null;
  }
  const safe = (name ?? "").replace(/[\\/]/g, " ").trim();
  return safe === "" ? fallback : safe;
}

/** Hands a Blob to the browser as a download under `fileName` (a temporary object URL). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = "none";
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has started from the URL; release it once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
