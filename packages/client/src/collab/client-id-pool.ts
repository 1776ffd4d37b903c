/**
 * Yjs client ids this browser reuses for a workbook, one per open page.
 *
 * A new page would write under a new random id, and a workbook keeps every id that ever wrote to
 * it: after weeks of volunteers reopening their pages it holds thousands, and Yjs walks all of
 * them at the start and end of every transaction, on the server and in every page (measured with
 * one update listener: ~70 µs per applied edit with 500 ids, ~1.9 ms with 5,000). Reusing ids
 * keeps a workbook to about as many as pages are open at once.
 *
 * An id is reused only when that is safe:
 * - no other page of this browser holds it: each page holds a Web Lock on its id while open (the
 *   browser lets go of it when the page goes away, however it goes);
 * - the page that held it last had every edit acknowledged, i.e. stored by the server. An edit
 *   the server broadcast and then lost in a crash may live on in a colleague's page; written
 *   again at the same clock, a new edit under the same id would make the two copies differ for
 *   good. Each id's state ("clean" or "dirty") is kept under a key of its own, written only by
 *   the page holding its lock, so pages never overwrite each other's marks.
 * Without Web Locks (an insecure origin, an old browser) or storage, nothing is reused.
 */

/** What the pool needs from the browser (tests pass their own). */
export interface ClientIdEnvironment {
  readonly storage: Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;
  readonly locks: Pick<LockManager, "request">;
  /** A new random id, as Yjs makes them (an unsigned 32-bit integer). */
  readonly randomId: () => number;
}

/** A client id held by this page until it goes away or releases it. */
export interface ClientIdLease {
  readonly id: number;
  /** Marks whether edits written under the id are still waiting for the server's acknowledgement. */
  setUnsynced(unsynced: boolean): void;
  /** Lets another page have the id; resolves once it can. */
  release(): Promise<void>;
}

/** More ids than this for one workbook (pages open at once in one browser): new pages go unpooled. */
const MAX_IDS = 32;

function browserEnvironment(): ClientIdEnvironment | undefined {
  if (typeof navigator === "undefined" || !navigator.locks || typeof localStorage === "undefined") return undefined;
  return {
    storage: localStorage,
    locks: navigator.locks,
    randomId: () => crypto.getRandomValues(new Uint32Array(1))[0] as number,
  };
}

/**
 * Holds the lock named `name` if no one does. The returned release resolves once the lock is free
 * again (the Web Locks API frees it after the holder's promise settles, not at once).
 */
async function tryLock(locks: ClientIdEnvironment["locks"], name: string): Promise<(() => Promise<void>) | undefined> {
  let letGo: (() => void) | undefined;
  let resolveHeld: (held: boolean) => void = () => {};
  const held = new Promise<boolean>((resolve) => {
    resolveHeld = resolve;
  });
  const freed = locks.request(name, { ifAvailable: true }, (lock) => {
    resolveHeld(lock !== null);
    if (!lock) return undefined;
    return new Promise<void>((resolve) => {
      letGo = resolve;
    });
  });
  if (!(await held)) return undefined;
  return async () => {
    letGo?.();
    await freed;
  };
}

/**
 * Leases a client id for `documentName`: a clean one no open page holds, else a new one added to
 * the pool; undefined when the browser cannot pool ids or the pool is full.
 */
export async function leaseClientId(documentName: string, environment = browserEnvironment()): Promise<ClientIdLease | undefined> {
  if (!environment) return undefined;
  const { storage, locks, randomId } = environment;
  const prefix = `huzhu.client-id.${documentName}.`;
  const known: number[] = [];
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    if (!key?.startsWith(prefix)) continue;
    const id = Number(key.slice(prefix.length));
    if (Number.isInteger(id) && id > 0) known.push(id);
  }
  const keyOf = (id: number) => `${prefix}${id}`;
  const lease = (id: number, release: () => Promise<void>): ClientIdLease => {
    // Written only when it changes: the provider reports its count at every edit and every ack.
    let mark = "clean";
    return {
      id,
      setUnsynced(unsynced) {
        const next = unsynced ? "dirty" : "clean";
        if (next === mark) return;
        mark = next;
        storage.setItem(keyOf(id), next);
      },
      release,
    };
  };
  let pooled = known.length;
  for (const id of known) {
    const release = await tryLock(locks, keyOf(id));
    if (!release) continue;
    // Read under the lock: the page that held it may have marked it on its way out.
    if (storage.getItem(keyOf(id)) === "clean") return lease(id, release);
    // Its last page went away with edits unacknowledged: never used again, so not kept either.
    storage.removeItem(keyOf(id));
    pooled -= 1;
    await release();
  }
  if (pooled >= MAX_IDS) return undefined;
  const taken = new Set(known);
  let id = randomId();
  while (id === 0 || taken.has(id)) id = randomId();
  const release = await tryLock(locks, keyOf(id));
  if (!release) return undefined;
  storage.setItem(keyOf(id), "clean");
  return lease(id, release);
}
