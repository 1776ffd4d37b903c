import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { HttpError, respondError } from "./errors.ts";
import { securityHeaders } from "./security.ts";

/** What a route handler gets: the request, the response, path parameters and the parsed URL. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly url: URL;
}

/** One API route. `path` segments starting with `:` are parameters, e.g. `/api/workbooks/:id`. */
export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly path: string;
  readonly handle: (context: RouteContext) => Promise<void> | void;
}

interface CompiledRoute extends Route {
  readonly pattern: RegExp;
}

function compile(route: Route): CompiledRoute {
  const source = route.path
    .split("/")
    .map((segment) => (segment.startsWith(":") ? `(?<${segment.slice(1)}>[^/]+)` : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return { ...route, pattern: new RegExp(`^${source}$`) };
}

/**
 * Builds the server's request handler: API routes first (405 with Allow when only the method is
 * wrong; GET routes answer HEAD too), then `fallback` (static files), all behind security headers
 * and the one error responder.
 */
export function createRouter(
  routes: readonly Route[],
  fallback: (context: RouteContext) => Promise<void>,
  logger: Logger,
  contentSecurityPolicy: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  const compiled = routes.map(compile);
  const headers = securityHeaders(contentSecurityPolicy);

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://huzhu.invalid");
    } catch {
      throw new HttpError(400, "bad_request", "malformed request URL");
    }
    const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
    const matching = compiled.filter((route) => route.pattern.test(url.pathname));
    const route = matching.find((candidate) => candidate.method === method);
    if (route) {
      const params = { ...route.pattern.exec(url.pathname)?.groups };
      await route.handle({ req, res, params, url });
      return;
    }
    if (matching.length > 0) {
      const allow = [...new Set(matching.map((candidate) => candidate.method))].join(", ");
      throw new HttpError(405, "method_not_allowed", `use ${allow}`, { headers: { Allow: allow } });
    }
    await fallback({ req, res, params: {}, url });
  }

  return (req, res) => {
    const started = performance.now();
    res.on("finish", () => {
      // Path only: query strings could carry anything. Tokens travel in headers or fragments,
      // except in page links (/p/, /f/, /m/ and their /api/ forms), whose token segment is masked.
      const path = (req.url ?? "").split("?")[0]?.replace(/^((?:\/api)?\/(?:p|f|m|forms|manage)\/)[^/.]+/, "$1…");
      logger.debug({ method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) }, "request");
    });
    dispatch(req, res).catch((error: unknown) => respondError(res, error, logger));
  };
}
