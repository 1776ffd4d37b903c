import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "../http/errors.ts";
import { readBody } from "../http/request.ts";
import { type FormDependencies, rateLimited } from "./context.ts";
import { addressKey, clientAddress } from "./rate-limit.ts";

/**
 * Counts a form or manage request against its client's request bucket and returns the key the
 * client is limited under (its address, or the /64 of an IPv6 address).
 */
export function admit(deps: FormDependencies, req: IncomingMessage): string {
  const key = addressKey(clientAddress(req, deps.trustedProxies));
  const verdict = deps.limiters.requests.take(key, deps.now());
  if (!verdict.ok) throw rateLimited(verdict.retryAfterMs);
  return key;
}

/**
 * Reads an `application/x-www-form-urlencoded` body (what an HTML form posts), refusing other
 * media types (415) and bodies over `limit` bytes (413, without buffering them).
 */
export async function readUrlEncoded(req: IncomingMessage, limit: number): Promise<URLSearchParams> {
  const type = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw new HttpError(415, "unsupported_media_type", "send the form as application/x-www-form-urlencoded");
  }
  const tooLarge = () =>
    new HttpError(413, "payload_too_large", `the body may be at most ${limit} bytes`, { messageZh: "填写的内容太长了，请精简后再提交" });
  const body = await readBody(req, limit, tooLarge);
  return new URLSearchParams(body.toString("utf8"));
}

/** Sends a server-rendered page. Pages carry tokens and personal data: never cached. */
export function sendHtml(res: ServerResponse, status: number, page: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(page),
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(res.req.method === "HEAD" ? undefined : page);
}
