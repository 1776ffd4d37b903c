import * as Y from "yjs";
import { decodeIncomingUpdate } from "./incoming-update.ts";

/**
 * Whether a V1 update needs something a document does not have, decided before it is applied.
 *
 * Yjs would keep such an update aside (`store.pendingStructs` / `pendingDs`) and merge it with
 * later ones (`mergeUpdates` on untrusted bytes, yjs #687), and an encoded state would carry it
 * into storage. So updates are checked first, with the V1 decoder only: every struct must
 * continue its client's clock without a gap, every item's left/right origin and parent must be
 * known (to the document or earlier in the same update), and every deleted range must be known.
 * Returns the first missing dependency as `client:clock`, or undefined when the update applies
 * cleanly. Throws on bytes that do not decode.
 */
export function missingDependency(update: Uint8Array, document: Y.Doc): string | undefined {
  const { structs, ds } = decodeIncomingUpdate(update);
  // The document's clock per client, as extended by this update's structs. Looked up per client
  // the update names: a document edited by thousands of clients has a long state vector.
  const extended = new Map<number, number>();
  const state = (client: number) => extended.get(client) ?? Y.getState(document.store, client);
  for (const struct of structs) {
    // Skip structs stand for ranges the update leaves out: they extend nothing.
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    const next = state(client);
    if (clock > next) return `${client}:${next}`;
    extended.set(client, Math.max(next, clock + struct.length));
  }
  const isKnown = (id: Y.ID | null) => id === null || id.clock < state(id.client);
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    for (const id of [struct.origin, struct.rightOrigin, struct.parent instanceof Y.ID ? struct.parent : null]) {
      if (!isKnown(id)) return `${id?.client}:${id?.clock}`;
    }
  }
  for (const [client, deletes] of ds.clients) {
    const end = Math.max(...deletes.map((item) => item.clock + item.len));
    if (end > state(client)) return `${client}:${state(client)}`;
  }
  return undefined;
}
