import { BroadcastWindow } from "./extensions/broadcast-window.ts";
import { StateEncoder } from "./storage/state-encoder.ts";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { Hocuspocus } from "@hocuspocus/server";
import type { Logger } from "pino";
import { loadOrCreateAdminToken } from "./admin-token.ts";
import { createAudiences } from "./audiences.ts";
import { COLLAB_PATH, attachCollab } from "./collab/websocket.ts";
import { type DemoWorkbook, ensureDemoWorkbook } from "./demo.ts";
import { Auth } from "./extensions/auth.ts";
import { CaseNumbers } from "./extensions/case-numbers.ts";
import { Limits } from "./extensions/limits.ts";
import { Persistence } from "./extensions/persistence.ts";
import { Presence } from "./extensions/presence.ts";
import { ServerClientIds } from "./extensions/server-client-ids.ts";
import { type HistoryOptions, createHistory } from "./history-setup.ts";
import { connectRedis } from "./extensions/redis.ts";
import type { FormOptions } from "./forms/context.ts";
import { createForms } from "./forms/setup.ts";
import { apiRoutes } from "./http/api-routes.ts";
import { createRouter } from "./http/router.ts";
import { contentSecurityPolicy } from "./http/security.ts";
import { createStaticFiles } from "./http/static-files.ts";
import { createLogger } from "./logger.ts";
import { shutdown } from "./shutdown.ts";
import type { DocStore } from "./storage/doc-store.ts";
import type { FormStore } from "./storage/form-store.ts";
import { PostgresFormStore } from "./storage/postgres-form-store.ts";
import { postgresHistoryStores } from "./storage/postgres-history-stores.ts";
import { SharedPool } from "./storage/postgres-pool.ts";
import { PostgresDocStore } from "./storage/postgres-store.ts";
import { SqliteDocStore } from "./storage/sqlite-store.ts";
import { StorageHealth } from "./storage/storage-health.ts";
import { storedPreviews } from "./preview/editor-preview.ts";
import { type CreatedWorkbook, type WorkbookUrls, createWorkbook } from "./workbooks.ts";

/**
 * No window by default: changes that arrive in one event-loop turn go out together at its end
 * (Hocuspocus' `flushDelay: 0`), which merges more of them the busier the server is. Measured at
 * 100–500 editors, any window only added its wait to every edit (bench/README.md); a window saves
 * CPU on a server shared with other work.
 */
const DEFAULT_BROADCAST_WINDOW_MS = 0;

/**
 * Hocuspocus stores a document (persistence compacts it) 2 s after its changes settle, and by
 * default also every 10 s while they keep coming. Persistence has stored every change by then and
 * bounds the log itself (`compactAfterUpdates`); a compaction mid-burst only rebuilds the whole
 * workbook while its editors wait for the CPU (300 editors: a ~1 s burst of a core and ~130 MB
 * more memory every 10 s, bench/README.md). So the longest wait is an hour.
 */
const STORE_MAX_DEBOUNCE_MS = 60 * 60_000;

/** Options of `startServer`. */
export interface HuzhuServerOptions {
  /** Port to listen on; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Address to listen on. Default 0.0.0.0. */
  readonly host?: string;
  /** Where the database, the generated admin token and the demo links live. */
  readonly dataDir: string;
  /** Admin token; default: the one kept in dataDir/admin-token, generated on first start. */
  readonly adminToken?: string;
  /** Base of the links people open; default http://localhost:PORT (or the host, if a specific address). */
  readonly publicUrl?: string;
  /** The built web client; default packages/client/dist. */
  readonly clientDir?: string;
  /** Create (first start) or find the demo workbook. */
  readonly demo?: boolean;
  /** No logs at all (tests). */
  readonly quiet?: boolean;
  /** Logger to use instead of the default stdout JSON logger. */
  readonly logger?: Logger;
  /** Storage to use instead of the SQLite database in dataDir; the server closes it on close. */
  readonly store?: DocStore;
  /** Compact a document's log once it holds this many updates, even while it is being edited. Default 20,000. */
  readonly compactAfterUpdates?: number;
  /** Clock of history, versions and retention (tests move it forward). Default: the system clock. */
  readonly now?: () => Date;
  /** Versions, retention and purge settings (history-setup.ts). */
  readonly history?: HistoryOptions;
  /** PostgreSQL connection string (DATABASE_URL): store everything there instead of SQLite in dataDir. */
  readonly databaseUrl?: string;
  /** Redis connection string (REDIS_URL): serve workbooks together with the other instances on it. */
  readonly redisUrl?: string;
  /** Namespace of this deployment's Redis channels and keys (REDIS_PREFIX). Default "huzhu". */
  readonly redisPrefix?: string;
  /** The request form's timing, rate limits and trusted proxies (forms/context.ts). */
  readonly forms?: FormOptions;
  /** Shortest time between two recomputations of a workbook's public view (ms). Default 250. */
  readonly publicBatchMs?: number;
  /**
   * The largest broadcast window (ms): changes to a document within its window go to its
   * connections as one merged frame. The window grows with the document's connections (0.03 ms
   * each, extensions/broadcast-window.ts) up to this; 0 merges only what arrives in one
   * event-loop turn. Default 0 (BROADCAST_WINDOW_MS).
   */
  readonly broadcastWindowMs?: number;
  /** Where form submissions are kept; default SQLite in dataDir (closed by the server). */
  readonly formStore?: FormStore;
  /** Signs form tickets; default DATA_DIR/form-secret. Instances of one deployment must share it. */
  readonly formSecret?: Buffer;
}

/** A running server. */
export interface HuzhuServer {
  /** Where this process can reach the HTTP server, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** Where this process can reach the WebSocket endpoint, e.g. ws://127.0.0.1:41234/collab. */
  readonly collabUrl: string;
  /** The public base of links (PUBLIC_URL). */
  readonly publicUrl: string;
  readonly port: number;
  readonly adminToken: string;
  readonly dataDir: string;
  /** The demo workbook, when started with `demo: true`. */
  readonly demo: DemoWorkbook | undefined;
  /** Creates a workbook exactly as `POST /api/workbooks` does (same validation, same answer). */
  createWorkbook(body: unknown): Promise<CreatedWorkbook>;
  /** Stops accepting, closes every socket, stores and compacts open documents, closes storage. */
  close(): Promise<void>;
}

const DEFAULT_CLIENT_DIR = fileURLToPath(new URL("../../client/dist", import.meta.url));

function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "";
}

function hostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

/** Starts Huzhu: HTTP API, web client and collaboration WebSocket on one port. */
export async function startServer(options: HuzhuServerOptions): Promise<HuzhuServer> {
  const host = options.host ?? "0.0.0.0";
  const dataDir = resolve(options.dataDir);
  const logger = options.logger ?? createLogger(options.quiet ? "silent" : "info");
  const adminToken = options.adminToken ?? loadOrCreateAdminToken(dataDir).token;
  const postgres = options.databaseUrl && !options.store ? await SharedPool.open(options.databaseUrl) : undefined;
  const store: DocStore = options.store ?? (postgres ? new PostgresDocStore(postgres) : new SqliteDocStore(dataDir));
  let redis: Awaited<ReturnType<typeof connectRedis>> | undefined;
  try {
    redis = options.redisUrl ? await connectRedis({ url: options.redisUrl, prefix: options.redisPrefix ?? "huzhu", logger }) : undefined;
  } catch (error) {
    await store.close();
    throw error;
  }

  const caseNumbers = new CaseNumbers({ store, logger });
  const clientDir = options.clientDir ?? DEFAULT_CLIENT_DIR;
  const audiences = createAudiences({
    dataDir,
    store,
    postgres,
    hocuspocus: () => hocuspocus,
    adminToken,
    clientDir,
    logger,
    publicBatchMs: options.publicBatchMs,
  });
  const health = new StorageHealth();
  const persistence = new Persistence({
    store,
    logger,
    compactAfterUpdates: options.compactAfterUpdates,
    health,
    encoder: new StateEncoder({ sqliteFile: store instanceof SqliteDocStore ? store.file : undefined }),
    // Made only for stores that keep them (DocStore.storedPreview).
    ...(store instanceof SqliteDocStore || store instanceof PostgresDocStore ? { previews: storedPreviews } : {}),
  });
  const history = createHistory({
    store,
    logger,
    adminToken,
    now: options.now ?? (() => new Date()),
    persistence,
    health,
    hocuspocus: () => hocuspocus,
    options: postgres && !options.history?.stores ? { ...options.history, stores: postgresHistoryStores(postgres) } : options.history,
  });
  const broadcastWindowMs = options.broadcastWindowMs ?? DEFAULT_BROADCAST_WINDOW_MS;
  const hocuspocus = new Hocuspocus({
    name: "huzhu",
    quiet: true,
    // With a window, resized per document as connections come and go (extensions/broadcast-window.ts).
    flushDelay: 0,
    maxDebounce: STORE_MAX_DEBOUNCE_MS,
    extensions: [
      ...(broadcastWindowMs > 0 ? [new BroadcastWindow(broadcastWindowMs)] : []),
      new Auth({ store }),
      new Limits(),
      persistence,
      persistence.storeBeforeAck,
      new ServerClientIds({ store, logger }),
      ...history.extensions,
      caseNumbers,
      new Presence(),
      ...audiences.extensions,
      ...(redis ? [redis] : []),
    ],
  });
  const httpServer = createServer();
  let port: number;
  try {
    port = await listen(httpServer, options.port ?? 8080, host);
  } catch (error) {
    await redis?.onDestroy();
    await audiences.close();
    await store.close();
    throw error;
  }

  const localHost = isWildcard(host) ? (host === "::" ? "[::1]" : "127.0.0.1") : hostForUrl(host);
  const url = `http://${localHost}:${port}`;
  const publicUrl = (options.publicUrl ?? `http://${isWildcard(host) ? "localhost" : localHost}:${port}`).replace(/\/+$/, "");
  const urls: WorkbookUrls = { publicUrl, collabUrl: `${publicUrl.replace(/^http/, "ws")}${COLLAB_PATH}` };
  const create = (body: unknown) => createWorkbook(store, urls, body);

  const csp = contentSecurityPolicy(new URL(urls.collabUrl).origin);
  const staticFiles = createStaticFiles(clientDir);
  const forms = createForms({
    dataDir,
    store,
    hocuspocus,
    persistence,
    publicUrl,
    logger,
    formStore: options.formStore ?? (postgres ? new PostgresFormStore(postgres) : undefined),
    formSecret: options.formSecret,
    options: options.forms,
  });
  const routes = [...apiRoutes({ store, urls, adminToken, createWorkbook: create }), ...forms.routes, ...audiences.routes(urls)];
  routes.push(...history.routes());
  httpServer.on("request", createRouter(routes, staticFiles, logger, csp));
  const wss = attachCollab(httpServer, hocuspocus, logger);

  let closing: Promise<void> | undefined;
  const close = () => {
    // The public views let go of the workbooks they hold first, so shutdown sees them unload.
    // Retention and purges finish before documents are unloaded, so none is left half done.
    closing ??= Promise.all([audiences.releaseDocuments(), history.quiesce()])
      .then(() => shutdown({ httpServer, wss, hocuspocus, caseNumbers, store, logger }))
      .finally(() => Promise.all([forms.close(), audiences.close()]));
    return closing;
  };
  let demo: DemoWorkbook | undefined;
  try {
    demo = options.demo ? await ensureDemoWorkbook(dataDir, store, urls, create) : undefined;
  } catch (error) {
    await close();
    throw error;
  }
  history.start();
  logger.info({ port, host, dataDir }, "huzhu server started");

  return {
    url,
    collabUrl: `ws://${localHost}:${port}${COLLAB_PATH}`,
    publicUrl,
    port,
    adminToken,
    dataDir,
    demo,
    createWorkbook: create,
    close,
  };
}
