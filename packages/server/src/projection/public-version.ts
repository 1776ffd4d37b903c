import { createHash } from "node:crypto";
import { type PublicRow, type PublicWorkbook, publicRowText, publicViewJson } from "@huzhu/schema";
import { PageCache } from "./public-pages.ts";

/** One state of a workbook's public view, with what HTTP answers are made of. */
export interface PublicVersion {
  readonly view: PublicWorkbook;
  /** Digest of the view (viewDigest): equal views, equal hashes, on any instance. */
  readonly stateHash: string;
  /** When the view last changed (from the public-state store, so it survives restarts). */
  readonly updatedAt: Date;
  /** The body of `GET /p/<token>.json`, made at the first read of this version. */
  readonly json: string;
  /** Strong ETag of this version: the view digest and when it last changed (not a hash of `json`). */
  readonly etag: string;
  /** Rendered pages of this version. */
  readonly pages: PageCache;
}

/** A workbook's public view and its digest; pure, so every instance computes the same. */
export interface ProjectedView {
  readonly view: PublicWorkbook;
  readonly stateHash: string;
}

const ROW_DIGEST_BYTES = 32;

/** SHA-256 of each public row's JSON, once per row change (rows are shared until they change). */
const rowDigests = new WeakMap<PublicRow, Buffer>();

function rowDigest(row: PublicRow): Buffer {
  let digest = rowDigests.get(row);
  if (!digest) {
    digest = createHash("sha256").update(publicRowText(row)).digest();
    rowDigests.set(row, digest);
  }
  return digest;
}

/** Rows per chunk of a sheet's digest: a batch of edits rehashes the chunks it touched. */
const CHUNK_ROWS = 256;

/** The digest of a chunk, with the row objects it was made of (keyed by its first row). */
const chunkDigests = new WeakMap<PublicRow, { readonly rows: readonly PublicRow[]; readonly digest: Buffer }>();

/** SHA-256 over the digests of `rows[start, end)`; reused while the same row objects fill the chunk. */
function chunkDigest(rows: readonly PublicRow[], start: number, end: number): Buffer {
  const first = rows[start] as PublicRow;
  const known = chunkDigests.get(first);
  if (known && known.rows.length === end - start && known.rows.every((row, i) => row === rows[start + i])) return known.digest;
  // One update with every row's digest: thousands of calls into the hash cost more than the copy.
  const digests = Buffer.allocUnsafe((end - start) * ROW_DIGEST_BYTES);
  for (let i = start; i < end; i++) digests.set(rowDigest(rows[i] as PublicRow), (i - start) * ROW_DIGEST_BYTES);
  const digest = createHash("sha256").update(digests).digest();
  chunkDigests.set(first, { rows: rows.slice(start, end), digest });
  return digest;
}

/**
 * A digest of everything a view holds: the title, each sheet without its rows, and its rows'
 * digests in order, by chunks of CHUNK_ROWS. Hashing the whole JSON text (1.8 MB for 5,000 rows)
 * after every batch of edits stalled the server for milliseconds; then hashing every row's digest
 * still cost 4.6 ms a batch for 12,000 public rows. Each row is hashed once per change, each chunk
 * once per change of one of its rows (trackPublicView keeps the objects of unchanged rows), then
 * 32 bytes per chunk. JSON text never holds a raw newline, and the row count comes before the
 * fixed-size digests, so the input is unambiguous; chunks are cut by position, so equal views
 * have equal digests on any instance.
 */
export function viewDigest(view: PublicWorkbook): string {
  const hash = createHash("sha256").update(JSON.stringify(view.title));
  for (const { rows, ...sheet } of view.sheets) {
    hash.update(`\n${JSON.stringify(sheet)}\n${rows.length}\n`);
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      hash.update(chunkDigest(rows, start, Math.min(rows.length, start + CHUNK_ROWS)));
    }
  }
  return hash.digest("base64url");
}

/** A view with its digest. */
export function projected(view: PublicWorkbook): ProjectedView {
  return { view, stateHash: viewDigest(view) };
}

/** Builds the version HTTP serves for a view that last changed at `updatedAt`. */
export function createVersion({ view, stateHash }: ProjectedView, updatedAt: Date): PublicVersion {
  let json: string | undefined;
  return {
    view,
    stateHash,
    updatedAt,
    get json() {
      // Same text as JSON.stringify({ updatedAt, ...view }), from each row's JSON made once.
      json ??= `{"updatedAt":${JSON.stringify(updatedAt.toISOString())},${publicViewJson(view).slice(1)}`;
      return json;
    },
    // The body is a function of the view and the time: their digest and the time name it exactly.
    etag: `"${stateHash}.${updatedAt.getTime().toString(36)}"`,
    pages: new PageCache(view, updatedAt),
  };
}
