import { readFile } from "node:fs/promises";
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
  startServer(options: { port: number; host: string; dataDir: string; quiet: boolean; broadcastWindowMs?: number }): Promise<{
    collabUrl: string;
    port: number;
    createWorkbook(input: { template: string; title: string; sampleData: boolean }): Promise<HuzhuWorkbook>;
    close(): Promise<void>;
  }>;
}

const seeds = new Map<string, string>();
const loadStarted = new Map<string, number>();
const loads: { documentName: string; ms: number }[] = [];
let running: Running | null = null;

async function startBare(): Promise<ServerStarted> {
  const server = new Server({
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
  });
  running = { close: () => server.close(), createWorkbook: (input) => server.createWorkbook(input) };
  return { collabUrl: server.collabUrl, port: server.port };
}

async function handle(raw: unknown): Promise<unknown> {
  const request = raw as ServerRequest;
  switch (request.kind) {
    case "start":
      if (running) throw new Error("already started");
      return request.target === "hocuspocus" ? startBare() : startHuzhu(request.dataDir);
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
