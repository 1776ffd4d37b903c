import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { gzip } from "node:zlib";

const gzipAsync = promisify(gzip);

/** Bodies smaller than this go out as they are: compressing would save next to nothing. */
export const MIN_COMPRESSED_BYTES = 1024;

/** Compressed bodies kept, by strong ETag (a hash of the body): one per public page or view version. */
const MAX_CACHED = 64;
const cache = new Map<string, Promise<Buffer>>();

/** Whether the client takes gzip (Accept-Encoding lists it, or `*`, without q=0). */
export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers["accept-encoding"];
  if (typeof header !== "string") return false;
  return header.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    const refused = params.some((param) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(param));
    return (coding === "gzip" || coding === "*") && !refused;
  });
}

/**
 * `body` gzipped, once per ETag however many people ask at once: a public view is read by many
 * phones on slow networks, and its JSON shrinks about tenfold.
 */
export function gzipOnce(etag: string, body: string): Promise<Buffer> {
  let compressed = cache.get(etag);
  if (!compressed) {
    compressed = gzipAsync(body);
    compressed.catch(() => cache.delete(etag));
    cache.set(etag, compressed);
    if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  }
  return compressed;
}

/**
 * Answers 200 with `bytes`, gzipped or as they are (`gzipped` says which), with `headers`
 * besides; a HEAD request gets the headers only.
 */
export function sendEncoded(
  req: IncomingMessage,
  res: ServerResponse,
  { bytes, gzipped, contentType }: { bytes: Buffer; gzipped: boolean; contentType: string },
  headers: OutgoingHttpHeaders,
): void {
  res.writeHead(200, {
    ...headers,
    "Content-Type": contentType,
    "Content-Length": bytes.length,
    Vary: "Accept-Encoding",
    ...(gzipped && { "Content-Encoding": "gzip" }),
  });
  res.end(req.method === "HEAD" ? undefined : bytes);
}
