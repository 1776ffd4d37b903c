import { describe, expect, it } from "vitest";
import { type ClientIdEnvironment, leaseClientId } from "./client-id-pool.ts";

/** One browser profile: its storage, Node's Web Locks (distinct names per test), and a counter for ids. */
function browser(): ClientIdEnvironment & { store: Map<string, string> } {
  const store = new Map<string, string>();
  let next = 100;
  return {
    store,
    storage: {
      getItem: (key) => store.get(key) ?? null,
      setItem: (key, value) => void store.set(key, value),
      removeItem: (key) => void store.delete(key),
      key: (index) => [...store.keys()][index] ?? null,
      get length() {
        return store.size;
      },
    },
    locks: navigator.locks,
    randomId: () => next++,
  };
}

let documents = 0;
const aDocument = () => `workbook-${process.pid}-${documents++}`;

describe("client id pool", () => {
  it("gives a page that opens after another closed the same id, and pages open together different ids", async () => {
    const env = browser();
    const doc = aDocument();
    const first = await leaseClientId(doc, env);
    expect(first?.id).toBe(100);
    const together = await leaseClientId(doc, env);
    expect(together?.id).toBe(101);
    await first?.release();
    await together?.release();
    const later = await leaseClientId(doc, env);
    expect(later?.id).toBe(100);
    await later?.release();
  });

  it("never reuses an id whose page went away with edits unacknowledged, and forgets it", async () => {
    const env = browser();
    const doc = aDocument();
    const page = await leaseClientId(doc, env);
    page?.setUnsynced(true);
    page?.setUnsynced(false);
    page?.setUnsynced(true);
    await page?.release();
    const next = await leaseClientId(doc, env);
    expect(next?.id).not.toBe(page?.id);
    expect([...env.store.keys()].some((key) => key.endsWith(`.${page?.id}`))).toBe(false);
    await next?.release();
  });

  it("keeps ids per workbook", async () => {
    const env = browser();
    const a = await leaseClientId(aDocument(), env);
    const b = await leaseClientId(aDocument(), env);
    expect(a?.id).not.toBe(b?.id);
    await a?.release();
    await b?.release();
  });

  it("stops pooling when as many pages are open as the pool holds, and without Web Locks", async () => {
    const env = browser();
    const doc = aDocument();
    const open = [];
    for (let i = 0; i < 32; i += 1) open.push(await leaseClientId(doc, env));
    expect(new Set(open.map((lease) => lease?.id)).size).toBe(32);
    expect(await leaseClientId(doc, env)).toBeUndefined();
    for (const lease of open) await lease?.release();
    expect(await leaseClientId(aDocument(), undefined)).toBeUndefined();
  });
});
