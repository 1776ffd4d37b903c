import type { Document, Extension, Hocuspocus } from "@hocuspocus/server";
import type { Logger } from "pino";
import { DependencyGate } from "./extensions/dependency-gate.ts";
import { AuditLog } from "./history/audit-log.ts";
import { AutoVersions, type VersionPolicy } from "./history/auto-versions.ts";
import { VersionService } from "./history/versions.ts";
import { exchangeRoutes } from "./http/exchange-routes.ts";
import { previewRoutes } from "./http/preview-routes.ts";
import { DocumentHolds } from "./preview/document-holds.ts";
import { PreviewCache } from "./preview/editor-preview.ts";
import { historyRoutes } from "./http/history-routes.ts";
import { lifecycleRoutes } from "./http/lifecycle-routes.ts";
import type { Route } from "./http/router.ts";
import { PurgeService } from "./lifecycle/purge.ts";
import { Retention } from "./lifecycle/retention.ts";
import type { AuditStore } from "./storage/audit-store.ts";
import type { DocStore } from "./storage/doc-store.ts";
import type { LifecycleStore } from "./storage/lifecycle-store.ts";
import { SqliteAuditStore } from "./storage/sqlite-audit-store.ts";
import { SqliteLifecycleStore } from "./storage/sqlite-lifecycle-store.ts";
import { SqliteDocStore } from "./storage/sqlite-store.ts";
import { SqliteVersionStore } from "./storage/sqlite-version-store.ts";
import type { StorageHealth } from "./storage/storage-health.ts";
import type { VersionStore } from "./storage/version-store.ts";

/** The stores of history and the data lifecycle. */
export interface HistoryStores {
  readonly audit: AuditStore;
  readonly versions: VersionStore;
  readonly lifecycle: LifecycleStore;
}

/** History, versions and retention settings (`startServer({ history })`); every field has a default. */
export interface HistoryOptions {
  /** When automatic versions are saved and how many are kept (history/auto-versions.ts). */
  readonly versions?: Partial<VersionPolicy>;
  /** How often the retention sweep looks for workbooks with rows due for purge (ms). Default 10 min. */
  readonly retentionCheckMs?: number;
  /** VACUUM the database after each purge. Default true (see docs/durability-and-privacy.md). */
  readonly vacuumOnPurge?: boolean;
  /** Stores to use instead of the SQLite ones; required with a doc store other than SQLite (DATABASE_URL supplies PostgreSQL ones). */
  readonly stores?: HistoryStores;
}

/** The parts of the persistence extension history needs. */
export interface PersistenceAccess {
  rewrite(document: Document): Promise<void>;
  whenStored(document: Document): Promise<boolean>;
  storedState(document: Document): Promise<Uint8Array>;
  holdsOnlyStored(document: Document): boolean;
}

/** What the composition root hands over. */
export interface HistorySetup {
  readonly store: DocStore;
  readonly logger: Logger;
  readonly adminToken: string;
  readonly now: () => Date;
  /** The persistence extension (it reports damaged storage to `health`). */
  readonly persistence: PersistenceAccess;
  readonly health: StorageHealth;
  /** The Hocuspocus instance, once created (it needs these extensions first). */
  readonly hocuspocus: () => Hocuspocus;
  readonly options?: HistoryOptions | undefined;
}

/** Durability checks, history and lifecycle, ready to plug in. */
export interface History {
  /** Hocuspocus extensions: dependency gate, audit log, automatic versions, retention. */
  readonly extensions: readonly Extension[];
  /** Row history, versions, purge, status, import and export routes. */
  routes(): Route[];
  /** Starts the retention sweep and finishes interrupted purges (once the server listens). */
  start(): void;
  /** Stops starting retention work and waits for what runs (before shutdown unloads documents). */
  quiesce(): Promise<void>;
}

function sqliteStores(store: SqliteDocStore): HistoryStores {
  const db = store.database;
  return { audit: new SqliteAuditStore(store), versions: new SqliteVersionStore(db), lifecycle: new SqliteLifecycleStore(db) };
}

/**
 * Wires issue 4: the dependency gate on incoming updates, the audit log, automatic and named
 * versions with restore, retention and purge, and the routes for them, storage status, import
 * and export. The SQLite stores share the doc store's database connection.
 */
export function createHistory(setup: HistorySetup): History {
  const { logger, now, persistence, health } = setup;
  const options = setup.options ?? {};
  if (!options.stores && !(setup.store instanceof SqliteDocStore)) {
    throw new Error("a doc store other than SQLite needs history stores of its own (options.history.stores)");
  }
  const stores = options.stores ?? sqliteStores(setup.store as SqliteDocStore);
  const gate = new DependencyGate({ logger });
  const audit = new AuditLog({ store: stores.audit, logger, now });
  const autoVersions = new AutoVersions({
    store: stores.versions,
    logger,
    now,
    policy: options.versions,
    stateOf: (document) => persistence.storedState(document),
  });
  const purge = new PurgeService({
    hocuspocus: setup.hocuspocus,
    lifecycleStore: stores.lifecycle,
    versionStore: stores.versions,
    auditStore: stores.audit,
    persistence,
    auditFlushed: () => audit.flush(),
    versionsSettled: (workbookId) => autoVersions.settled(workbookId),
    logger,
    now,
    vacuum: options.vacuumOnPurge,
  });
  const previews = new PreviewCache();
  const holds = new DocumentHolds();
  const retention = new Retention({ store: stores.lifecycle, purge, logger, now, checkEveryMs: options.retentionCheckMs });

  return {
    extensions: [gate, audit, autoVersions, retention],
    routes() {
      const hocuspocus = setup.hocuspocus();
      const access = { store: setup.store, adminToken: setup.adminToken };
      const whenStored = (document: Document) => persistence.whenStored(document);
      const versions = new VersionService({ hocuspocus, store: stores.versions, whenStored, now });
      return [
        ...historyRoutes({ ...access, audit: stores.audit, versions, auditFlushed: () => audit.flush() }),
        ...lifecycleRoutes({ ...access, purge, health, dependencyGate: gate }),
        ...exchangeRoutes({ ...access, hocuspocus, whenStored }),
        ...previewRoutes({ ...access, hocuspocus, previews, holds, holdsOnlyStored: (document) => persistence.holdsOnlyStored(document) }),
      ];
    },
    start() {
      retention.start(setup.hocuspocus());
    },
    quiesce: () => Promise.all([retention.stop(), holds.releaseAll()]).then(() => {}),
  };
}
