import type { Connection, Extension, beforeSyncPayload } from "@hocuspocus/server";
import type { Logger } from "pino";
import { CollabCloseCode, CollabRefusal } from "../collab/context.ts";
import { emptyIncomingUpdate } from "../collab/incoming-update.ts";
import { missingDependency } from "../collab/update-dependencies.ts";

/** Configuration of the dependency gate. */
export interface DependencyGateConfiguration {
  readonly logger: Logger;
}

/** y-protocols sync message types, as Hocuspocus passes them to beforeSync. */
const SyncType = { step1: 0, step2: 1, update: 2 } as const;

/** The close reason a client gets when it sends an update that builds on something nobody sent. */
export const MISSING_DEPENDENCIES = "missing-dependencies";

/**
 * Refuses client updates that build on something the document does not have, before anything
 * applies them, so Yjs never queues them as pending (and never merges untrusted bytes with later
 * ones, yjs #687) and nothing stores them.
 *
 * One case is normal and handled quietly: a client that reconnects after the server lost its
 * unacknowledged edits (a crash) may send a new edit on top of them before its sync step 2 —
 * which carries those edits — has arrived. Such an update, received before the connection's
 * first step 2, is emptied in place (Hocuspocus applies an empty update and acknowledges it, and
 * the client's provider counts that acknowledgement against the handshake it has just reset); the
 * step 2 that follows carries the same change together with what it builds on. Anything else
 * missing dependencies (after the handshake, or in a step 2) closes the socket with 4400 and
 * reason `missing-dependencies`; the provider reconnects and syncs from state vectors.
 */
export class DependencyGate implements Extension {
  readonly extensionName = "huzhu-dependencies";
  // After Limits (950) checked that the bytes decode; before anything applies them.
  readonly priority = 940;
  private readonly logger: Logger;
  /** Connections whose sync step 2 (the handshake's last message) has been accepted. */
  private readonly handshaken = new WeakSet<Connection>();
  /** Updates emptied because they arrived ahead of the step 2 that carries their dependencies. */
  deferred = 0;
  /** Updates refused for missing dependencies. */
  refused = 0;

  constructor(configuration: DependencyGateConfiguration) {
    this.logger = configuration.logger;
  }

  async beforeSync({ type, payload, document, connection, documentName }: beforeSyncPayload): Promise<void> {
    if ((type !== SyncType.step2 && type !== SyncType.update) || connection.readOnly) return;
    const missing = missingDependency(payload, document);
    if (missing === undefined) {
      if (type === SyncType.step2) this.handshaken.add(connection);
      return;
    }
    if (type === SyncType.update && !this.handshaken.has(connection)) {
      emptyIncomingUpdate(payload);
      this.deferred += 1;
      this.logger.debug({ documentName, missing }, "update ahead of its sync step 2: left for the step 2 to carry");
      return;
    }
    this.refused += 1;
    this.logger.warn({ documentName, missing, type }, "refused an update with missing dependencies");
    connection.webSocket.close(CollabCloseCode.badRequest, MISSING_DEPENDENCIES);
    throw new CollabRefusal(CollabCloseCode.badRequest, MISSING_DEPENDENCIES);
  }
}
