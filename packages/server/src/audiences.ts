import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Extension, Hocuspocus } from "@hocuspocus/server";
import type { Logger } from "pino";
import { ClientIds } from "./extensions/client-ids.ts";
import { Keepalive } from "./extensions/keepalive.ts";
import { LinkWatch } from "./extensions/link-watch.ts";
import { PublicProjection } from "./extensions/public-projection.ts";
import { WriteGuard } from "./extensions/write-guard.ts";
import { linkRoutes } from "./http/link-routes.ts";
import { publicRoutes } from "./http/public-routes.ts";
import type { Route } from "./http/router.ts";
import { PROJECTION_ACTOR, PublicProjections } from "./projection/public-projections.ts";
import type { DocStore } from "./storage/doc-store.ts";
import type { LinkStore } from "./storage/link-store.ts";
import type { SharedPool } from "./storage/postgres-pool.ts";
import { PostgresLinkStore } from "./storage/postgres-link-store.ts";
import { PostgresPublicStateStore } from "./storage/postgres-public-state-store.ts";
import type { PublicStateStore } from "./storage/public-state-store.ts";
import { SqliteLinkStore } from "./storage/sqlite-link-store.ts";
import { SqlitePublicStateStore } from "./storage/sqlite-public-state-store.ts";
import { SqliteDocStore } from "./storage/sqlite-store.ts";
import type { WorkbookUrls } from "./workbooks.ts";

/** The client's live upgrade of the public page: a module at this path of the client build. */
export const PUBLIC_LIVE_SCRIPT = "/public-live.js";

/** What the composition root hands the audiences (links, roles, public view). */
export interface AudienceSetup {
  readonly dataDir: string;
  readonly store: DocStore;
  /** The PostgreSQL pool when the server stores there (DATABASE_URL); SQLite in dataDir otherwise. */
  readonly postgres?: SharedPool | undefined;
  /** The Hocuspocus instance, once created (it needs these extensions first). */
  readonly hocuspocus: () => Hocuspocus;
  readonly adminToken: string;
  readonly clientDir: string;
  readonly logger: Logger;
  /** Shortest time between two recomputations of a workbook's public view. Default 250 ms. */
  readonly publicBatchMs?: number | undefined;
}

/** The audiences, ready to serve. */
export interface Audiences {
  /** Hocuspocus extensions: client ids, write guard, public projection, link watch, keepalive answers. */
  readonly extensions: readonly Extension[];
  /** Admin API for links, and the public page and JSON; `urls` are known once the server listens. */
  routes(urls: WorkbookUrls): Route[];
  /** Lets go of the workbooks the public views hold open (before shutdown waits for unloads). */
  releaseDocuments(): Promise<void>;
  /** Closes the stores. */
  close(): Promise<void>;
}

/**
 * Wires who may do what: capability links and their admin API, the server-side write guard, one
 * Yjs client id per connection, revocation that closes connections, and the public view
 * (projection document, page and JSON). See docs/audiences.md.
 */
export function createAudiences(setup: AudienceSetup): Audiences {
  // On PostgreSQL with DATABASE_URL; else on the doc store's SQLite connection (or, for a doc
  // store of another kind, in tests, a SQLite database of their own in dataDir).
  const own = setup.postgres || setup.store instanceof SqliteDocStore ? undefined : new SqliteDocStore(setup.dataDir);
  // Undefined only with PostgreSQL, where it is not used.
  const sqlite = (setup.store instanceof SqliteDocStore ? setup.store : own) as SqliteDocStore;
  const links: LinkStore = setup.postgres ? new PostgresLinkStore(setup.postgres) : new SqliteLinkStore(sqlite.database);
  const states: PublicStateStore = setup.postgres ? new PostgresPublicStateStore(setup.postgres) : new SqlitePublicStateStore(sqlite);
  const projections = new PublicProjections({
    openWorkbook: (workbookId) => setup.hocuspocus().openDirectConnection(workbookId, PROJECTION_ACTOR),
    states,
    logger: setup.logger,
    batchMs: setup.publicBatchMs,
  });
  const linkWatch = new LinkWatch({ links, logger: setup.logger });
  const liveScript = existsSync(join(setup.clientDir, PUBLIC_LIVE_SCRIPT)) ? PUBLIC_LIVE_SCRIPT : null;
  return {
    extensions: [
      new ClientIds(),
      new WriteGuard({ heldServerClientIds: (documentName) => setup.store.heldServerClientIds(documentName) }),
      new PublicProjection({ projections }),
      linkWatch,
      new Keepalive(),
    ],
    routes: (urls) => [
      ...linkRoutes({
        store: setup.store,
        links,
        urls,
        adminToken: setup.adminToken,
        closeLink: (linkId, reason) => linkWatch.closeLink(linkId, reason),
      }),
      ...publicRoutes({ store: setup.store, projections, liveScript }),
    ],
    releaseDocuments: () => projections.close(),
    close: async () => {
      await Promise.all([links.close(), states.close()]);
      await own?.close();
    },
  };
}
