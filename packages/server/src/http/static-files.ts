import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { acceptsGzip, sendEncoded } from "./compression.ts";
import { HttpError } from "./errors.ts";
import type { RouteContext } from "./router.ts";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".wasm": "application/wasm",
};

/** Paths answered with the client's index.html: the app routes them itself. */
function isAppRoute(pathname: string): boolean {
  return pathname === "/" || pathname === "/index.html" || pathname.startsWith("/w/");
}

async function findFile(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/** Hashed assets: their names change whenever their content does. */
const IMMUTABLE = "public, max-age=31536000, immutable";

/** A hashed asset, kept in memory: its name changes whenever its content does. */
interface Asset {
  readonly plain: Buffer;
  readonly gzipped: Buffer | undefined;
}

/** Larger assets are streamed from disk each time. */
const MAX_CACHED_ASSET_BYTES = 4 * 1024 * 1024;

/**
 * Serves the built client from `clientDir`: files as they are (hashed `/assets/*` cached for a year,
 * everything else revalidated), `/` and `/w/*` as index.html, anything else a 404 JSON error.
 *
 * Hashed assets are read once and answered from memory in one write: streamed from disk, each took
 * several event-loop turns, and a page's scripts then waited behind whatever the server did in
 * between (the preview of a 30,000-row tab takes the event loop a few hundred ms to build).
 */
export function createStaticFiles(clientDir: string): (context: RouteContext) => Promise<void> {
  const root = resolve(clientDir);
  const assets = new Map<string, Promise<Asset | undefined>>();

  function asset(path: string, size: number): Promise<Asset | undefined> {
    let cached = assets.get(path);
    if (!cached) {
      cached =
        size > MAX_CACHED_ASSET_BYTES
          ? Promise.resolve(undefined)
          : Promise.all([readFile(path), readFile(`${path}.gz`).catch(() => undefined)]).then(([plain, gzipped]) => ({ plain, gzipped }));
      // A failed read is not kept: the next request tries again.
      cached.catch(() => assets.delete(path));
      assets.set(path, cached);
    }
    return cached;
  }

  function sendAsset({ req, res }: RouteContext, path: string, { plain, gzipped }: Asset): void {
    const compress = gzipped !== undefined && acceptsGzip(req);
    const contentType = CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
    sendEncoded(req, res, { bytes: compress ? gzipped : plain, gzipped: compress, contentType }, { "Cache-Control": IMMUTABLE });
  }

  async function send({ req, res }: RouteContext, path: string, size: number, cacheControl: string): Promise<void> {
    // The client build writes a gzipped copy beside each text file (client/build/precompress.ts).
    const gzipped = acceptsGzip(req) ? await findFile(`${path}.gz`) : undefined;
    res.writeHead(200, {
      "Content-Type": CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream",
      "Content-Length": gzipped ?? size,
      "Cache-Control": cacheControl,
      Vary: "Accept-Encoding",
      ...(gzipped !== undefined && { "Content-Encoding": "gzip" }),
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    await pipeline(createReadStream(gzipped !== undefined ? `${path}.gz` : path), res);
  }

  return async (context) => {
    const { req, url } = context;
    if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(404, "not_found", "no such route");
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      throw new HttpError(400, "bad_request", "malformed path");
    }
    if (pathname.includes("\0")) throw new HttpError(400, "bad_request", "malformed path");
    if (!pathname.startsWith("/api/") && !isAppRoute(pathname)) {
      const path = join(root, normalize(pathname));
      const known = assets.get(path);
      const loaded = known && (await known);
      if (loaded) {
        sendAsset(context, path, loaded);
        return;
      }
      const size = path.startsWith(root + sep) ? await findFile(path) : undefined;
      if (size !== undefined) {
        const immutable = pathname.startsWith("/assets/");
        const cached = immutable ? await asset(path, size) : undefined;
        if (cached) sendAsset(context, path, cached);
        else await send(context, path, size, immutable ? IMMUTABLE : "no-cache");
        return;
      }
    }
    if (isAppRoute(pathname)) {
      const index = join(root, "index.html");
      const size = await findFile(index);
      if (size === undefined) {
        throw new HttpError(503, "client_not_built", "the web client is not built: run `pnpm --filter @huzhu/client build`");
      }
      await send(context, index, size, "no-cache");
      return;
    }
    throw new HttpError(404, "not_found", "no such route");
  };
}
