import { createRandom } from "@huzhu/schema/testing/random";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { missingServices, useTestSchema } from "../../test/services.ts";
import type { StoredDocument } from "./doc-store.ts";
import { SharedPool } from "./postgres-pool.ts";
import { PostgresDocStore } from "./postgres-store.ts";
import { recoverDocument } from "./recover-document.ts";

const DOC = "docdocdocdocdocd";
const skip = await missingServices(["postgres"]);

/** A V1 update setting `key` in map "m", on top of `base`. */
function edit(base: Y.Doc, key: string, value: string): Uint8Array {
  let update: Uint8Array = new Uint8Array();
  base.once("update", (u: Uint8Array) => {
    update = u;
  });
  base.getMap("m").set(key, value);
  return update;
}

function replay(stored: Awaited<ReturnType<PostgresDocStore["loadDocument"]>>): Y.Doc {
  const doc = new Y.Doc();
  if (stored?.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const { update } of stored?.updates ?? []) Y.applyUpdate(doc, update);
  return doc;
}

/** What Persistence hands compactDocument: the state and a check against it. */
function compaction(doc: Y.Doc) {
  const contents = Y.snapshot(doc);
  return { state: Y.encodeStateAsUpdate(doc), contains: (stored: Uint8Array) => Y.snapshotContainsUpdate(contents, stored) };
}

describe.skipIf(skip)("PostgresDocStore", () => {
  const schema = useTestSchema();
  const opened: PostgresDocStore[] = [];
  /** A store as one server instance has it: its own pool on the shared schema. */
  async function instance(): Promise<PostgresDocStore> {
    const store = new PostgresDocStore(await SharedPool.open(schema.url));
    opened.push(store);
    return store;
  }
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await schema.pool.query("TRUNCATE updates, snapshots, case_counters, case_numbers, server_client_ids, previews");
  });

  it("migrates once when several instances start at the same moment", async () => {
    await Promise.all([instance(), instance(), instance()]);
    const { rows } = await schema.pool.query<{ version: number }>("SELECT version FROM huzhu_schema_version");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.version).toBeGreaterThan(0);
  });

  it("hands each instance its own server client id, reusing only released ones", async () => {
    const [a, b] = [await instance(), await instance()];
    expect(await a.claimServerClientId(DOC, 4_000_000_001)).toBe(4_000_000_001);
    await a.releaseServerClientId(DOC, 4_000_000_001);
    // Two instances loading the workbook at once: one takes the released id, the other its own.
    const claimed = await Promise.all([a.claimServerClientId(DOC, 21), b.claimServerClientId(DOC, 22)]);
    expect(claimed.filter((id) => id === 4_000_000_001)).toHaveLength(1);
    expect(new Set(claimed).size).toBe(2);
    // Held ids (a load open, or one a crash ended) are not handed out again.
    expect(await b.claimServerClientId(DOC, 23)).toBe(23);
    await b.holdServerClientId(DOC, 24);
    await b.releaseServerClientId(DOC, 23);
    expect([...(await a.heldServerClientIds(DOC))].sort()).toEqual([...claimed, 24].sort());
  });

  it("loads nothing for a name never stored, and appended updates in order", async () => {
    const store = await instance();
    expect(await store.loadDocument(DOC)).toBeUndefined();
    const source = new Y.Doc();
    const seqs: number[] = [];
    for (const key of ["a", "b", "c"]) seqs.push(await store.appendUpdate(DOC, edit(source, key, key.toUpperCase())));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const stored = await store.loadDocument(DOC);
    expect(stored?.updates.map((u) => u.seq)).toEqual(seqs);
    expect(replay(stored).getMap("m").toJSON()).toEqual({ a: "A", b: "B", c: "C" });
  });

  it("compaction marks only the log rows its state contains and deletes them one generation later; another instance's unseen row stays", async () => {
    const [a, b] = [await instance(), await instance()];
    const docA = new Y.Doc();
    const first = await a.appendUpdate(DOC, edit(docA, "a", "1"));
    const docB = new Y.Doc();
    const unseen = await b.appendUpdate(DOC, edit(docB, "b", "2"));
    const third = await a.appendUpdate(DOC, edit(docA, "c", "3"));
    expect(third).toBeGreaterThan(unseen);
    const marks = async () =>
      (
        await schema.pool.query<{ seq: string; compacted_in: string | null }>("SELECT seq, compacted_in FROM updates ORDER BY seq")
      ).rows.map((row) => [Number(row.seq), row.compacted_in === null ? null : Number(row.compacted_in)]);

    const once = compaction(docA);
    expect(await a.compactDocument(DOC, once.state, third, once.contains)).toBe(true);
    expect(await marks()).toEqual([
      [first, 1],
      [unseen, null],
      [third, 1],
    ]);
    const fourth = await a.appendUpdate(DOC, edit(docA, "d", "4"));
    const twice = compaction(docA);
    expect(await a.compactDocument(DOC, twice.state, fourth, twice.contains)).toBe(true);
    expect(await marks()).toEqual([
      [unseen, null],
      [fourth, 2],
    ]);
    const stored = await a.loadDocument(DOC);
    expect(stored?.snapshotSeq).toBeLessThan(unseen);
    expect(replay(stored).getMap("m").toJSON()).toEqual({ a: "1", b: "2", c: "3", d: "4" });
  });

  it("gives a compaction's previews back while its snapshot is the whole stored document, on any instance, and never after", async () => {
    const [a, b] = [await instance(), await instance()];
    const [docA, docB] = [new Y.Doc(), new Y.Doc()];
    const upto = await a.appendUpdate(DOC, edit(docA, "a", "1"));
    const preview = new Uint8Array([1, 2, 3]);
    const first = compaction(docA);
    expect(await a.compactDocument(DOC, first.state, upto, first.contains, new Map([["", preview]]))).toBe(true);
    expect(await a.storedPreview(DOC, "")).toEqual(Buffer.from(preview));
    expect(await b.storedPreview(DOC, "")).toEqual(Buffer.from(preview));
    expect(await a.storedPreview(DOC, "othersheet")).toBeUndefined();

    // Another instance appends: the preview no longer shows the document, here either.
    const later = await b.appendUpdate(DOC, edit(docB, "b", "2"));
    expect(await a.storedPreview(DOC, "")).toBeUndefined();
    // A compaction that holds it stores previews valid again; one without previews forgets them.
    Y.applyUpdate(docA, Y.encodeStateAsUpdate(docB));
    const second = compaction(docA);
    expect(await a.compactDocument(DOC, second.state, later, second.contains, new Map([["", preview]]))).toBe(true);
    expect(await b.storedPreview(DOC, "")).toEqual(Buffer.from(preview));
    expect(await a.compactDocument(DOC, second.state, later, second.contains)).toBe(true);
    const rows = async () => Number((await schema.pool.query<{ n: string }>("SELECT COUNT(*) AS n FROM previews")).rows[0]?.n);
    expect(await rows()).toBe(0);
    // A rewrite (purge) drops them with everything else the document was made from.
    expect(await a.compactDocument(DOC, second.state, later, second.contains, new Map([["", preview]]))).toBe(true);
    await a.rewriteDocument(DOC, second.state, later);
    expect(await rows()).toBe(0);
  });

  it("opens from the previous snapshot and the log when the current snapshot is damaged", async () => {
    const store = await instance();
    const doc = new Y.Doc();
    await store.appendUpdate(DOC, edit(doc, "a", "1"));
    const first = compaction(doc);
    await store.compactDocument(DOC, first.state, Number.MAX_SAFE_INTEGER, first.contains);
    const seq = await store.appendUpdate(DOC, edit(doc, "b", "2"));
    const second = compaction(doc);
    await store.compactDocument(DOC, second.state, seq, second.contains);
    await schema.pool.query("UPDATE snapshots SET state = substring(state from 1 for 5)");

    const recovered = new Y.Doc();
    const report = recoverDocument(recovered, (await store.loadDocument(DOC)) as StoredDocument, "load");
    expect(report.base).toBe("previous-snapshot");
    expect(report.damage).toEqual([expect.objectContaining({ entry: "snapshot", reason: "checksum-mismatch" })]);
    expect(recovered.getMap("m").toJSON()).toEqual({ a: "1", b: "2" });
  });

  it("does not overwrite a snapshot holding content the compacting instance lacks", async () => {
    const [a, b] = [await instance(), await instance()];
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    const seqB = await b.appendUpdate(DOC, edit(docB, "b", "from B"));
    const fromB = compaction(docB);
    expect(await b.compactDocument(DOC, fromB.state, seqB, fromB.contains)).toBe(true);

    const seqA = await a.appendUpdate(DOC, edit(docA, "a", "from A"));
    const fromA = compaction(docA);
    expect(await a.compactDocument(DOC, fromA.state, seqA, fromA.contains)).toBe(false);
    expect(
      replay(await a.loadDocument(DOC))
        .getMap("m")
        .toJSON(),
    ).toEqual({ a: "from A", b: "from B" });

    Y.applyUpdate(docA, fromB.state); // A catches up (through Redis, in a server)
    const caughtUp = compaction(docA);
    expect(await a.compactDocument(DOC, caughtUp.state, seqA, caughtUp.contains)).toBe(true);
    expect(
      replay(await a.loadDocument(DOC))
        .getMap("m")
        .toJSON(),
    ).toEqual({ a: "from A", b: "from B" });
  });

  it("lets one instance compact a document at a time (advisory lock)", async () => {
    const store = await instance();
    const doc = new Y.Doc();
    const seq = await store.appendUpdate(DOC, edit(doc, "k", "v"));
    const holder = await schema.pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext($1))", [DOC]);
      const { state, contains } = compaction(doc);
      expect(await store.compactDocument(DOC, state, seq, contains)).toBe(false);
      await holder.query("COMMIT");
      expect(await store.compactDocument(DOC, state, seq, contains)).toBe(true);
    } finally {
      holder.release();
    }
  });

  it("loses no stored update while two instances, each behind the other, append and compact concurrently", async () => {
    const seed = Number(process.env["HUZHU_SEED"] ?? Date.now() % 100_000);
    const next = createRandom(seed).next;
    const instances = await Promise.all(
      [0, 1].map(async (i) => ({ store: await instance(), doc: new Y.Doc(), lastSeq: 0, inbox: [] as Uint8Array[], i })),
    );
    const compact = (self: (typeof instances)[number]) => {
      const { state, contains } = compaction(self.doc);
      return self.store.compactDocument(DOC, state, self.lastSeq, contains);
    };
    const appended = new Y.Doc();
    let compactions = 0;
    for (let step = 0; step < 150; step += 1) {
      const self = instances[next() < 0.5 ? 0 : 1]!;
      const other = instances[1 - self.i]!;
      const roll = next();
      if (roll < 0.5) {
        const update = edit(self.doc, `k${Math.floor(next() * 12)}`, `${self.i}:${step}`);
        other.inbox.push(update);
        const seq = await self.store.appendUpdate(DOC, update);
        self.lastSeq = Math.max(self.lastSeq, seq);
        Y.applyUpdate(appended, update);
      } else if (roll < 0.75) {
        // Relay some of what the other instance wrote (Redis delivers late, and in bursts).
        for (const update of self.inbox.splice(0, Math.ceil(next() * self.inbox.length))) Y.applyUpdate(self.doc, update);
      } else {
        // Both at once half of the time; the advisory lock lets at most one of them through.
        const done = await Promise.all(next() < 0.5 ? [compact(self), compact(other)] : [compact(self)]);
        compactions += done.filter(Boolean).length;
        const stored = replay(await self.store.loadDocument(DOC));
        expect(stored.getMap("m").toJSON(), `seed ${seed}, step ${step}: what is stored after compacting`).toEqual(
          appended.getMap("m").toJSON(),
        );
      }
    }
    expect(compactions, `seed ${seed}: compactions that ran`).toBeGreaterThan(3);
  });

  it("rewrite (purge) leaves no row its state contains, keeps rows it has not seen, and refuses to overwrite newer content", async () => {
    const [a, b] = [await instance(), await instance()];
    const docA = new Y.Doc({ gc: true });
    const phone = "13800138000";
    await a.appendUpdate(DOC, edit(docA, "phone", phone));
    // Another instance appended its own copy of the same update (it relays and stores everything).
    await b.appendUpdate(DOC, Y.encodeStateAsUpdate(docA));
    const first = compaction(docA);
    await a.compactDocument(DOC, first.state, 0, first.contains);
    const purge = edit(docA, "phone", "");
    const uptoSeq = await a.appendUpdate(DOC, purge);
    const unseen = await b.appendUpdate(DOC, edit(new Y.Doc(), "other", "not relayed yet"));

    await a.rewriteDocument(DOC, Y.encodeStateAsUpdate(docA), uptoSeq);
    const stored = await a.loadDocument(DOC);
    expect(stored?.updates.map((u) => u.seq)).toEqual([unseen]);
    const bytes = Buffer.concat([Buffer.from(stored?.snapshot ?? []), ...(stored?.updates ?? []).map((u) => Buffer.from(u.update))]);
    expect(bytes.includes(phone)).toBe(false);
    expect(replay(stored).getMap("m").toJSON()).toEqual({ phone: "", other: "not relayed yet" });

    const ahead = new Y.Doc();
    Y.applyUpdate(ahead, Y.encodeStateAsUpdate(replay(stored)));
    edit(ahead, "newer", "only in B's snapshot");
    const fromB = compaction(ahead);
    expect(await b.compactDocument(DOC, fromB.state, unseen, fromB.contains)).toBe(true);
    await expect(a.rewriteDocument(DOC, Y.encodeStateAsUpdate(docA), uptoSeq)).rejects.toThrow(/lacks/);
  });

  it("gives each row one case number, unique across instances racing for the same rows", async () => {
    const stores = await Promise.all([instance(), instance(), instance()]);
    const rows = Array.from({ length: 30 }, (_, i) => `row${i}`);
    const results = await Promise.all(
      stores.flatMap((store) => rows.map(async (row) => ({ row, number: await store.allocateCaseNumber("wbwbwbwbwbwbwbwb", row) }))),
    );
    const byRow = new Map<string, Set<number>>();
    for (const { row, number } of results) byRow.set(row, (byRow.get(row) ?? new Set()).add(number));
    for (const [row, numbers] of byRow) expect(numbers.size, `${row} got ${[...numbers]}`).toBe(1);
    const numbers = [...byRow.values()].map((set) => [...set][0]);
    expect(new Set(numbers).size).toBe(rows.length);
    const { rows: stored } = await schema.pool.query("SELECT count(*)::int AS n FROM case_numbers");
    expect(stored[0].n).toBe(rows.length);
  });

  it("numbers a batch in one go, in the order given, agreeing with single allocations made at the same time", async () => {
    const [a, b] = [await instance(), await instance()];
    const batch = Array.from({ length: 200 }, (_, i) => `imported${i}`);
    const [numbers, single] = await Promise.all([
      a.allocateCaseNumbers("wbwbwbwbwbwbwbwb", batch),
      Promise.all(["imported7", "imported150", "typed"].map((row) => b.allocateCaseNumber("wbwbwbwbwbwbwbwb", row))),
    ]);
    expect(numbers).toHaveLength(200);
    expect(numbers[7]).toBe(single[0]);
    expect(numbers[150]).toBe(single[1]);
    expect(new Set([...numbers, single[2]]).size).toBe(201);
    const fresh = numbers.filter((_, i) => i !== 7 && i !== 150);
    expect(fresh).toEqual([...fresh].sort((x, y) => x - y));
    expect(await a.allocateCaseNumbers("wbwbwbwbwbwbwbwb", ["imported1", "imported0", "imported1"])).toEqual([
      numbers[1],
      numbers[0],
      numbers[1],
    ]);
  });
});
