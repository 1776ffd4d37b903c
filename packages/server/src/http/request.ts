import type { IncomingMessage } from "node:http";
import { HttpError } from "./errors.ts";

/** Largest JSON body the API reads. */
export const MAX_JSON_BYTES = 16 * 1024;

/**
 * Reads a request body of at most `limit` bytes. A larger one is refused (by default 413
 * payload_too_large) as soon as its Content-Length or its bytes say so, without buffering it.
 */
export async function readBody(
  req: IncomingMessage,
  limit: number,
  tooLarge = () => new HttpError(413, "payload_too_large", `the body may be at most ${limit} bytes`),
): Promise<Buffer> {
  if (Number(req.headers["content-length"] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads and parses a JSON request body, refusing other media types (415), bodies over `limit`
 * (413, without buffering them) and invalid JSON (400).
 */
export async function readJson(req: IncomingMessage, limit = MAX_JSON_BYTES): Promise<unknown> {
  const type = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw new HttpError(415, "unsupported_media_type", "send the body as application/json");
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "invalid_json", "the body is not valid JSON");
  }
}

/** The token of an `Authorization: Bearer <token>` header; 401 when there is none. */
export function bearerToken(req: IncomingMessage): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  if (!match?.[1]) {
    throw new HttpError(401, "missing_token", "send Authorization: Bearer <token>", { headers: { "WWW-Authenticate": "Bearer" } });
  }
  return match[1];
}
