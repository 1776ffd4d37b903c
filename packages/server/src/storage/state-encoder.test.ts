import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { SqliteDocStore } from "./sqlite-store.ts";
import { StateEncoder } from "./state-encoder.ts";

describe("StateEncoder", () => {
  const encoder = new StateEncoder();

  it("rebuilds a stored document in its worker and encodes the same state the live copy has", async () => {
    const store = new SqliteDocStore(mkdtempSync(join(tmpdir(), "huzhu-encoder-")));
    const live = new Y.Doc();
    const name = "encencencencence1";
    const first = Y.encodeStateAsUpdate(live);
    await store.createWorkbook({
      workbook: { id: name, title: "t", template: "blank", createdAt: new Date().toISOString() },
      initialState: first,
      links: [],
    });
    const appends: Promise<number>[] = [];
    live.on("update", (update: Uint8Array) => appends.push(store.appendUpdate(name, update)));
    const rows = live.getMap("rows");
    for (let i = 0; i < 200; i++) rows.set(`r${i % 50}`, `value ${i}`);
    rows.delete("r3");
    const last = Math.max(...(await Promise.all(appends)));

    const stored = await store.loadDocument(name);
    if (!stored) throw new Error("nothing stored");
    const encoded = await encoder.encode(stored);
    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, encoded.state);
    expect(rebuilt.getMap("rows").toJSON()).toEqual(rows.toJSON());
    expect(encoded.lastSeq).toBe(last);
    // Overwritten values are garbage-collected, as in the live copy's own encoding.
    expect(encoded.state.length).toBeLessThanOrEqual(Y.encodeStateAsUpdate(live).length + 16);
    expect(Y.snapshotContainsUpdate(encoded.snapshot, Y.encodeStateAsUpdate(live))).toBe(true);

    // Given the SQLite file, the worker reads the document itself: nothing is loaded here.
    const reading = new StateEncoder({ sqliteFile: store.file });
    const notHere = () => Promise.reject(new Error("loaded on the event loop"));
    const read = await reading.encodeStored(name, notHere);
    expect(read?.lastSeq).toBe(last);
    expect(read?.state).toEqual(encoded.state);
    rows.set("r4", "after the first read");
    await Promise.all(appends);
    const again = await reading.encodeStored(name, notHere);
    expect(again?.lastSeq).toBe(last + 1);
    const reread = new Y.Doc();
    Y.applyUpdate(reread, again?.state ?? new Uint8Array());
    expect(reread.getMap("rows").get("r4")).toBe("after the first read");
    expect(await reading.encodeStored("nosuchdocument00", notHere)).toBeUndefined();
    await reading.close();
    await store.close();
  });

  it("stops its worker after a while without work and starts another when needed", async () => {
    const idle = new StateEncoder({ idleMs: 50 });
    const doc = new Y.Doc();
    doc.getMap("m").set("a", 1);
    const stored = { snapshot: Y.encodeStateAsUpdate(doc), snapshotSeq: 0, snapshotChecksum: null, previous: null, updates: [] };
    await idle.encode(stored);
    expect(idle.running).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(idle.running).toBe(false);
    expect((await idle.encode(stored)).state.length).toBeGreaterThan(0);
    await idle.close();
    expect(idle.running).toBe(false);
  });

  it("refuses a stored document with an entry that does not verify, and keeps working", async () => {
    const live = new Y.Doc();
    live.getMap("m").set("a", 1);
    const good = Y.encodeStateAsUpdate(live);
    const damaged = good.slice(0, good.length - 2);
    await expect(
      encoder.encode({
        snapshot: good,
        snapshotSeq: 0,
        snapshotChecksum: null,
        previous: null,
        updates: [{ seq: 1, update: damaged, checksum: 12345 }],
      }),
    ).rejects.toThrow(/did not verify/);
    const encoded = await encoder.encode({ snapshot: good, snapshotSeq: 0, snapshotChecksum: null, previous: null, updates: [] });
    expect(encoded.state.length).toBeGreaterThan(0);
    await encoder.close();
    await expect(encoder.encode({ snapshot: good, snapshotSeq: 0, snapshotChecksum: null, previous: null, updates: [] })).rejects.toThrow(
      /closed/,
    );
  });
});
