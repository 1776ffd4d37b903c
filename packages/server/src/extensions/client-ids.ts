import type { Connection, Document, Extension, beforeHandleAwarenessPayload, beforeSyncPayload } from "@hocuspocus/server";
import type { WebSocket } from "ws";
import * as Y from "yjs";
import { CollabCloseCode, CollabRefusal } from "../collab/context.ts";
import { readUpdateEffect } from "../collab/update-paths.ts";

/** Configuration of the client-id extension. */
export interface ClientIdsConfiguration {
  /** How long an owner's socket has to answer a ping before it counts as dead. Default 2000 ms. */
  readonly probeTimeoutMs?: number;
}

/** y-protocols sync message types, as Hocuspocus passes them to beforeSync. */
const SyncType = { step1: 0, step2: 1, update: 2 } as const;

/** The server's own document writes under its client id; no connection may use it. */
const SERVER = "server";

/**
 * Keeps each Yjs client id to one connection. An id is owned by the live connection that first
 * used it, in presence (awareness) or in an update's new structs; the server's own document id is
 * the server's. Another connection's update whose new structs claim an owned id is refused
 * (`client-id-in-use`) before it is applied: structs at clocks the owner has not reached yet would
 * make the owner's next edits look like duplicates and vanish. Presence states for an owned id are
 * dropped, so nobody can move or erase someone else's cursor.
 *
 * A sync step 2 claims nothing: it is a reconnecting peer's whole state, which may relay other
 * people's edits that the server sent out and then lost in a crash, and relaying an edit must not
 * lock its author out. A step 2 is still refused if it writes under an id someone else owns,
 * unless the owner already holds everything it carries under that id: the state vector the owner
 * sent in its own sync step 1 reaches past it. After a crash every peer reconnects at once, and a
 * peer's relay of an author's lost edits often arrives after the author's step 1 and presence but
 * before the author's own step 2; refused, the relaying peer's document was closed while its
 * socket stayed open, and it stopped syncing until the page was reloaded. Structs below the
 * owner's clock cannot make the owner's next edits look like duplicates.
 *
 * "Live" is checked, not assumed: a browser that lost its network reconnects before the server
 * notices the old socket died (that can take a minute) and resends its offline edits under its
 * id. So before refusing, the owner's socket is pinged; one that does not answer within the probe
 * timeout is closed and the id passes to the new connection. A live owner always answers (pongs
 * are sent by the WebSocket layer itself), so an id cannot be taken from someone connected.
 */
export class ClientIds implements Extension {
  readonly extensionName = "huzhu-client-ids";
  // Before presence stamps states and before the write guard looks at paths.
  readonly priority = 940;
  private readonly probeTimeoutMs: number;
  /** Client ids used in updates, per document, and the connection that used them first. */
  private readonly claims = new WeakMap<Document, Map<number, Connection>>();
  private readonly probes = new WeakMap<object, Promise<boolean>>();
  /** The state vector each connection sent in its latest sync step 1. */
  private readonly reported = new WeakMap<Connection, Map<number, number>>();

  constructor(configuration: ClientIdsConfiguration = {}) {
    this.probeTimeoutMs = configuration.probeTimeoutMs ?? 2_000;
  }

  async beforeSync({ type, payload, connection, document }: beforeSyncPayload): Promise<void> {
    if (type === SyncType.step1) this.reported.set(connection, Y.decodeStateVector(payload));
    if ((type !== SyncType.step2 && type !== SyncType.update) || connection.readOnly) return;
    const { newClients } = readUpdateEffect(document, payload);
    // Up to which clock a step 2 carries each client's structs (only read when it carries an owned id).
    let carried: Map<number, number> | undefined;
    for (const clientId of newClients) {
      const owner = this.ownerOf(document, connection, clientId);
      if (owner === undefined) continue;
      if (owner !== SERVER && type === SyncType.step2) {
        carried ??= Y.parseUpdateMeta(payload).to;
        if ((this.reported.get(owner)?.get(clientId) ?? 0) >= (carried.get(clientId) ?? Number.POSITIVE_INFINITY)) continue;
      }
      if (owner === SERVER || (await this.isAlive(owner))) {
        throw new CollabRefusal(CollabCloseCode.forbidden, "client-id-in-use", `Yjs client id ${clientId} belongs to another connection`);
      }
    }
    if (type !== SyncType.update) return;
    const claims = this.claimsOf(document);
    for (const clientId of newClients) {
      if (claims.get(clientId) === connection) continue;
      claims.set(clientId, connection);
      connection.onClose(() => {
        if (claims.get(clientId) === connection) claims.delete(clientId);
      });
    }
  }

  async beforeHandleAwareness({ states, connection, document }: beforeHandleAwarenessPayload): Promise<void> {
    if (!connection) return;
    for (const clientId of states.keys()) {
      const owner = this.ownerOf(document, connection, clientId);
      if (owner === undefined) continue;
      states.delete(clientId);
      // The next renewal (every 15 s) gets through if the owner turns out to be gone.
      if (owner !== SERVER) void this.isAlive(owner);
    }
  }

  private claimsOf(document: Document): Map<number, Connection> {
    let claims = this.claims.get(document);
    if (!claims) {
      claims = new Map();
      this.claims.set(document, claims);
    }
    return claims;
  }

  /** Who else uses `clientId` on this document: the server, another connection, or nobody. */
  private ownerOf(document: Document, connection: Connection, clientId: number): Connection | typeof SERVER | undefined {
    if (clientId === document.clientID) return SERVER;
    const claimant = this.claims.get(document)?.get(clientId);
    // Its own id: nobody else presented it when it was claimed (that claim was refused), and since
    // then others' presence under it is dropped (beforeHandleAwareness), so no scan is needed.
    if (claimant === connection) return undefined;
    if (claimant && document.hasConnection(claimant)) return claimant;
    for (const [other, { clients }] of document.connections) {
      if (other !== connection && clients.has(clientId)) return other;
    }
    return undefined;
  }

  /** Pings the owner's socket; one that does not answer in time is closed and counts as gone. */
  private isAlive(owner: Connection): Promise<boolean> {
    const socket = owner.webSocket as unknown as WebSocket;
    if (typeof socket.ping !== "function") return Promise.resolve(true);
    const running = this.probes.get(socket);
    if (running) return running;
    const probe = new Promise<boolean>((resolve) => {
      if (socket.readyState !== socket.OPEN) {
        resolve(false);
        return;
      }
      const timer = setTimeout(() => {
        socket.off("pong", answered);
        resolve(false);
      }, this.probeTimeoutMs);
      const answered = () => {
        clearTimeout(timer);
        resolve(true);
      };
      socket.once("pong", answered);
      socket.ping();
    }).then((alive) => {
      this.probes.delete(socket);
      if (!alive) {
        owner.close({ code: CollabCloseCode.forbidden, reason: "client-id-taken-over" });
        socket.terminate();
      }
      return alive;
    });
    this.probes.set(socket, probe);
    return probe;
  }
}
