import { HocuspocusProvider } from "@hocuspocus/provider";
import { openWorkbook } from "@huzhu/schema";
import * as Y from "yjs";
import { createStore } from "../lib/store.ts";
import { watchPeers } from "./awareness-peers.ts";
import { type ClientIdLease, leaseClientId } from "./client-id-pool.ts";
import type { Collab } from "./collab.ts";
import { type ConnectionState, type SocketStatus, initialConnection, isPermanentRefusal } from "./connection.ts";
import type { Session } from "./session.ts";
import { createUndoHistory } from "./undo.ts";

/** Roles that may change rows; anything else opens read-only. */
const EDITING_ROLES = new Set(["editor", "admin"]);

/**
 * The server serves this page and /collab on one origin; connecting there (rather than to the
 * session's `collabUrl`, derived from PUBLIC_URL) also works behind a proxy or Vite's dev server.
 */
function sameOriginCollabUrl(collabUrl: string): string {
  if (typeof location === "undefined") return collabUrl;
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${new URL(collabUrl).pathname}`;
}

/** Connects to a workbook's document on the sync server with the link's token. */
export function connectWorkbook(session: Session, token: string): Collab {
  const ydoc = new Y.Doc();
  // Every mutation this browser makes carries this origin, so undo tracks exactly our edits.
  const origin = { source: "local-user" };
  const connection = createStore<ConnectionState>(initialConnection);
  const patch = (change: Partial<ConnectionState>) => connection.update((s) => ({ ...s, ...change }));
  // This browser's reusable client id for the workbook (client-id-pool.ts), taken on at the first
  // sync: before it the page writes nothing, and after it the document holds what the server has
  // under that id, so new edits continue its clock.
  const leasing = leaseClientId(session.documentName).catch(() => undefined);
  let lease: ClientIdLease | undefined;
  let adopting = false;
  let destroyed = false;
  async function adoptPooledClientId() {
    const leased = await leasing;
    if (!leased) return;
    if (destroyed || Y.getState(ydoc.store, ydoc.clientID) > 0) {
      void leased.release();
      return;
    }
    ydoc.clientID = leased.id;
    lease = leased;
  }

  const provider = new HocuspocusProvider({
    url: sameOriginCollabUrl(session.collabUrl),
    name: session.documentName,
    document: ydoc,
    token,
    onStatus: ({ status }) => patch({ socket: status as SocketStatus, ...(status === "connected" ? {} : { synced: false }) }),
    onSynced: ({ state }) => {
      // Listening again is a no-op: a document's listeners are a set.
      if (state) ydoc.on("update", provider.boundDocumentUpdateHandler);
      patch(state ? { synced: true, everSynced: true } : { synced: false });
      if (state && !adopting) {
        adopting = true;
        void adoptPooledClientId();
      }
    },
    onUnsyncedChanges: ({ number }) => {
      lease?.setUnsynced(number > 0);
      patch({ unsynced: number });
    },
    // Refusals come as authenticationFailed while connecting, or as a close (code 1000) with the
    // reason later, e.g. when the link is revoked while the page is open.
    onAuthenticationFailed: ({ reason }) => {
      if (isPermanentRefusal(reason)) refuse(reason);
    },
    onClose: ({ event }) => {
      if (isPermanentRefusal(event.reason)) refuse(event.reason);
    },
  });

  // The first sync brings the whole workbook (18 MB for 30,000 rows). While the document has an
  // "update" listener, Yjs encodes every transaction again for it — a second of a phone's time
  // spent re-encoding what just arrived, which the provider then ignores (its own sync). Nothing
  // local can change before the first sync (the sheet is not shown yet), so the provider listens
  // for local changes from then on.
  ydoc.off("update", provider.boundDocumentUpdateHandler);

  function refuse(reason: string) {
    patch({ refusedReason: reason, socket: "disconnected", synced: false });
    // A refused link stays refused: retrying would only hammer the server.
    provider.disconnect();
  }

  const awareness = provider.awareness;
  const presence = awareness ? watchPeers(awareness) : null;
  const history = createUndoHistory(ydoc, origin);

  return {
    workbook: openWorkbook(ydoc, { origin }),
    self: { name: session.label, color: session.color, role: session.role },
    readOnly: !EDITING_ROLES.has(session.role),
    connection,
    peers: presence?.peers ?? createStore([]),
    history,
    setCursor: (cursor) => presence?.setCursor(cursor),
    destroy() {
      presence?.stop();
      destroyed = true;
      history.destroy();
      provider.destroy();
      ydoc.destroy();
      void leasing.then((leased) => leased?.release());
    },
  };
}
