import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";
import { Server } from "@hocuspocus/server";
import { serveRequests } from "./ipc.ts";
import { BareToken, type HuzhuWorkbook, type ServerRequest, type ServerStarted, type ServerStats } from "./messages.ts";

/**
 * A child process that runs one server under test, so its CPU and memory are its own.
 * `hocuspocus` is the anchor: Hocuspocus with no extensions, only a token check (viewers are
 * read-only) and documents loaded from encoded states the parent prepared. `huzhu` is Huzhu's
 * `startServer` from @huzhu/server.
 */
interface Running {
  readonly close: () => Promise<void>;
  readonly createWorkbook?: (input: { template: string; title: string; sampleData: boolean }) => Promise<HuzhuWorkbook>;
}

/** The part of @huzhu/server's API the bench uses. */
interface HuzhuModule {
  startServer(options: {
    port: number;
    host: string;
    dataDir: string;
    quiet: boolean;
    broadcastWindowMs?: number;
    forms?: { minFillMs: number; limits: Record<string, { capacity: number; refillPerMinute: number }> };
  }): Promise<{
    collabUrl: string;
    port: number;
    createWorkbook(input: { template: string; title: string; sampleData: boolean }): Promise<HuzhuWorkbook>;
    close(): Promise<void>;
  }>;
}

const UNLIMITED = { capacity: 1e9, refillPerMinute: 1e9 };
const OPEN_FORM_LIMITS = {
  requestsPerAddress: UNLIMITED,
  submissionsPerAddress: UNLIMITED,
  submissionsPerLink: UNLIMITED,
  writesPerManageLink: UNLIMITED,
};

const seeds = new Map<string, string>();
const loadStarted = new Map<string, number>();
const loads: { documentName: string; ms: number }[] = [];
let running: Running | null = null;

let anchorSnapshot = { body: "{}", etag: '"0"' };

/**
 * The HTTP anchor beside bare Hocuspocus, on its own HTTP server (onRequest): what the form and
 * the public snapshot cost with nothing of Huzhu's — a JSON body parsed and inserted in SQLite
 * with the same durability (WAL, synchronous FULL, one commit per request), and a fixed body
 * served with its ETag.
 */
function anchorRoutes(dataDir: string) {
  const db = new DatabaseSync(join(dataDir, "anchor.sqlite"));
  db.exec(
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
  );
  const insert = db.prepare("INSERT INTO rows (body) VALUES (?)");
  return async ({ request, response }: { request: IncomingMessage; response: ServerResponse }) => {
    if (request.url === "/bench/snapshot.json") {
      if (request.headers["if-none-match"] === anchorSnapshot.etag) response.writeHead(304, { etag: anchorSnapshot.etag }).end();
      else response.writeHead(200, { "content-type": "application/json", etag: anchorSnapshot.etag }).end(anchorSnapshot.body);
      throw null;
    }
    if (request.url === "/bench/form" && request.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
      const { lastInsertRowid } = insert.run(JSON.stringify(body));
      response.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: Number(lastInsertRowid) }));
      throw null;
    }
  };
}

async function startBare(dataDir: string): Promise<ServerStarted> {
  const server = new Server({
    onRequest: anchorRoutes(dataDir),
    port: 0,
    address: "127.0.0.1",
    quiet: true,
    stopOnSignals: false,
    async onAuthenticate({ token, connectionConfig }) {
      if (token === BareToken.viewer) connectionConfig.readOnly = true;
      else if (token !== BareToken.editor) throw new Error("unknown token");
    },
    async onLoadDocument({ documentName }) {
      loadStarted.set(documentName, performance.now());
      const path = seeds.get(documentName);
      return path ? new Uint8Array(await readFile(path)) : undefined;
    },
    async afterLoadDocument({ documentName }) {
      const startedAt = loadStarted.get(documentName);
      if (startedAt !== undefined) loads.push({ documentName, ms: performance.now() - startedAt });
    },
  });
  await server.listen();
  running = { close: () => server.destroy() };
  const { port } = server.address;
  return { collabUrl: `ws://127.0.0.1:${port}`, port };
}

async function startHuzhu(dataDir: string): Promise<ServerStarted> {
  // BENCH_HUZHU_SERVER=/path/to/packages/server/src/index.ts benchmarks another checkout (e.g. HEAD).
  const override = process.env["BENCH_HUZHU_SERVER"];
  const specifier = override ? pathToFileURL(override).href : "@huzhu/server";
  const huzhu = (await import(specifier)) as Partial<HuzhuModule>;
  if (typeof huzhu.startServer !== "function") throw new Error("@huzhu/server does not export startServer yet");
  // BROADCAST_WINDOW_MS, as the server reads it, to compare windows without editing code.
  const window = process.env["BROADCAST_WINDOW_MS"];
  const server = await huzhu.startServer({
    port: 0,
    host: "127.0.0.1",
    dataDir,
    quiet: true,
    ...(window !== undefined && window !== "" && { broadcastWindowMs: Number(window) }),
    // The form's anti-abuse policy (fill time, per-address and per-link limits) would cap the
    // form benchmark at a few submissions a second: it measures what the server can store.
    forms: { minFillMs: 0, limits: OPEN_FORM_LIMITS },
  });
  running = { close: () => server.close(), createWorkbook: (input) => server.createWorkbook(input) };
  return { collabUrl: server.collabUrl, port: server.port };
}

async function handle(raw: unknown): Promise<unknown> {
  const request = raw as ServerRequest;
  switch (request.kind) {
    case "start":
      if (running) throw new Error("already started");
      return request.target === "hocuspocus" ? startBare(request.dataDir) : startHuzhu(request.dataDir);
    case "anchorSnapshot":
      anchorSnapshot = { body: request.body, etag: `"${createHash("sha256").update(request.body).digest("base64url")}"` };
      return null;
    case "seed":
      seeds.set(request.documentName, request.path);
      return null;
    case "createWorkbook": {
      if (!running?.createWorkbook) throw new Error("this server does not create workbooks");
      const { template, title, sampleData } = request;
      // A plain copy: the descriptor crosses the IPC channel.
      return JSON.parse(JSON.stringify(await running.createWorkbook({ template, title, sampleData })));
    }
    case "stats": {
      if (request.gc) globalThis.gc?.();
      const memory = process.memoryUsage();
      return { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, loads } satisfies ServerStats;
    }
    case "close":
      await running?.close();
      running = null;
      setImmediate(() => process.exit(0));
      return null;
  }
}

serveRequests(handle);
