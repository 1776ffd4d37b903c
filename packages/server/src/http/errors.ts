import type { ServerResponse } from "node:http";
import type { Logger } from "pino";
import { ZodError } from "zod";

/** An HTTP failure with a stable machine-readable `code` and, for validation, the offending `field`. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** The message in Chinese, for pages that show it to people (the request form, the manage page). */
  readonly messageZh: string | undefined;
  /** Every problem when there are several (e.g. one per form field). */
  readonly errors: readonly unknown[] | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { field?: string; headers?: Record<string, string>; messageZh?: string; errors?: readonly unknown[] } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
    this.messageZh = options.messageZh;
    this.errors = options.errors;
  }
}

/** Writes a JSON body with the given status; API answers are never cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(res.req.method === "HEAD" ? undefined : text);
}

function fromZod(error: ZodError): HttpError {
  const issue = error.issues[0];
  const field = issue?.path.join(".") || undefined;
  const message = issue ? `${field ? `${field}: ` : ""}${issue.message}` : "invalid body";
  return new HttpError(400, "invalid_body", message, { field });
}

/**
 * The one error responder: `{"error":{"code","message","messageZh"?,"field"?,"errors"?}}`. Unexpected errors are logged
 * and answered with a generic 500 that reveals nothing about the server.
 */
export function respondError(res: ServerResponse, error: unknown, logger: Logger): void {
  const known = error instanceof HttpError ? error : error instanceof ZodError ? fromZod(error) : undefined;
  if (!known) logger.error({ err: error, method: res.req.method }, "request failed");
  const failure = known ?? new HttpError(500, "internal", "internal server error");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = {
    error: {
      code: failure.code,
      message: failure.message,
      ...(failure.messageZh ? { messageZh: failure.messageZh } : {}),
      ...(failure.field ? { field: failure.field } : {}),
      ...(failure.errors ? { errors: failure.errors } : {}),
    },
  };
  sendJson(res, failure.status, body, failure.headers);
}
