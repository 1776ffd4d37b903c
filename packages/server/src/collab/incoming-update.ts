import * as Y from "yjs";

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/**
 * Each incoming update decoded once: the limits, dependency, client-id and write checks all read
 * the same message before anything applies it, and Hocuspocus hands every beforeSync hook the same
 * bytes (a view into the received frame). What a reader gets must not be changed. V1 only: the
 * V2 decoder on untrusted bytes is known to hang (yjs #687).
 */
const decoded = new WeakMap<Uint8Array, DecodedUpdate>();

/** The structs and delete set of a V1 update. Throws if the bytes do not decode. */
export function decodeIncomingUpdate(update: Uint8Array): DecodedUpdate {
  let result = decoded.get(update);
  if (!result) {
    result = Y.decodeUpdate(update);
    decoded.set(update, result);
  }
  return result;
}

/**
 * Turns an incoming update into one that changes nothing, in place: zero structs and an empty
 * delete set (Yjs reads no further), so that when Hocuspocus applies the message and acknowledges
 * it nothing is integrated. Used for an update left for the sync step 2 that carries it
 * (dependency gate).
 */
export function emptyIncomingUpdate(update: Uint8Array): void {
  update.fill(0, 0, Math.min(2, update.length));
  decoded.delete(update);
}
