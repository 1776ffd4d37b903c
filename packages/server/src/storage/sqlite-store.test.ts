import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { checksumOf } from "./integrity.ts";
import { SqliteDocStore } from "./sqlite-store.ts";

/** A V1 update setting `key` in map "m", on top of `base`. */
function edit(base: Y.Doc, key: string, value: string): Uint8Array {
  let update: Uint8Array = new Uint8Array();
  const capture = (u: Uint8Array) => {
    update = u;
  };
  base.once("update", capture);
  base.getMap("m").set(key, value);
  return update;
}

function replay(stored: Awaited<ReturnType<SqliteDocStore["loadDocument"]>>): Y.Doc {
  const doc = new Y.Doc();
  if (stored?.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const { update } of stored?.updates ?? []) Y.applyUpdate(doc, update);
  return doc;
}

describe("SqliteDocStore", () => {
  let dir: string;
  let store: SqliteDocStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "huzhu-store-"));
    store = new SqliteDocStore(dir);
  });
  afterEach(() => store.close());

  it("loads nothing for a name never stored", async () => {
    expect(await store.loadDocument("aaaaaaaaaaaaaaaa")).toBeUndefined();
  });

  it("returns appended updates in order with growing sequence numbers", async () => {
    const source = new Y.Doc();
    const seqs = await Promise.all(
      ["a", "b", "c"].map((key) => store.appendUpdate("docdocdocdocdocd", edit(source, key, key.toUpperCase()))),
    );
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const stored = await store.loadDocument("docdocdocdocdocd");
    expect(stored?.updates.map((u) => u.seq)).toEqual(seqs);
    expect(replay(stored).getMap("m").toJSON()).toEqual({ a: "A", b: "B", c: "C" });
  });

  it("compaction keeps the replaced snapshot and the log since it, drops what that generation holds, and never reuses a sequence number", async () => {
    const source = new Y.Doc();
    await store.appendUpdate("docdocdocdocdocd", edit(source, "a", "1"));
    const upto = await store.appendUpdate("docdocdocdocdocd", edit(source, "b", "2"));
    const snapshot = Y.encodeStateAsUpdate(source);
    const later = await store.appendUpdate("docdocdocdocdocd", edit(source, "c", "3"));
    await store.compactDocument("docdocdocdocdocd", snapshot, upto);

    const stored = await store.loadDocument("docdocdocdocdocd");
    expect(stored?.snapshotSeq).toBe(upto);
    expect(stored?.previous).toBeNull();
    // No previous generation yet: only what comes after the snapshot is loaded (the rest stays on disk).
    expect(stored?.updates.map((u) => u.seq)).toEqual([later]);
    expect(replay(stored).getMap("m").toJSON()).toEqual({ a: "1", b: "2", c: "3" });

    await store.compactDocument("docdocdocdocdocd", Y.encodeStateAsUpdate(source), later);
    // The snapshot verifies: a load reads neither the previous generation nor the log it holds.
    const again = await store.loadDocument("docdocdocdocdocd");
    expect(again?.previous).toBeNull();
    expect(again?.updates).toEqual([]);
    // Both are kept for a snapshot that does not verify: the log since the previous generation
    // (`first`, which it holds, is gone; the rest is kept).
    store.database.prepare("UPDATE snapshots SET state = X'00' WHERE doc_name = ?").run("docdocdocdocdocd");
    const damaged = await store.loadDocument("docdocdocdocdocd");
    expect(damaged?.previous?.seq).toBe(upto);
    expect([...(damaged?.previous?.state ?? [])]).toEqual([...snapshot]);
    expect(damaged?.updates.map((u) => u.seq)).toEqual([later]);
    expect(await store.appendUpdate("docdocdocdocdocd", edit(source, "d", "4"))).toBeGreaterThan(later);
  });

  it("gives a compaction's previews back while its snapshot is the whole stored document, and never after", async () => {
    const doc = "docdocdocdocdocd";
    const source = new Y.Doc();
    const upto = await store.appendUpdate(doc, edit(source, "a", "1"));
    const preview = new Uint8Array([1, 2, 3]);
    await store.compactDocument(doc, Y.encodeStateAsUpdate(source), upto, () => true, new Map([["", preview]]));
    expect(await store.storedPreview(doc, "")).toEqual(preview);
    expect(await store.storedPreview(doc, "othersheet")).toBeUndefined();

    // Something appended since: the preview no longer shows the document.
    const later = await store.appendUpdate(doc, edit(source, "b", "2"));
    expect(await store.storedPreview(doc, "")).toBeUndefined();
    // A compaction without previews forgets the old ones; one with previews replaces them.
    await store.compactDocument(doc, Y.encodeStateAsUpdate(source), later);
    const rows = () => (store.database.prepare("SELECT COUNT(*) AS n FROM previews").get() as { n: number }).n;
    expect(rows()).toBe(0);
    await store.compactDocument(doc, Y.encodeStateAsUpdate(source), later, () => true, new Map([["", preview]]));
    expect(await store.storedPreview(doc, "")).toEqual(preview);
    // A rewrite (purge) drops them with everything else the document was made from.
    await store.rewriteDocument(doc, Y.encodeStateAsUpdate(source), later);
    expect(rows()).toBe(0);
  });

  it("stores a CRC-32 beside every log entry and snapshot", async () => {
    const source = new Y.Doc();
    const update = edit(source, "a", "1");
    await store.appendUpdate("docdocdocdocdocd", update);
    await store.compactDocument("docdocdocdocdocd", Y.encodeStateAsUpdate(source), 0);
    const stored = await store.loadDocument("docdocdocdocdocd");
    expect(stored?.updates[0]?.checksum).toBe(checksumOf(update));
    expect(stored?.snapshotChecksum).toBe(checksumOf(Y.encodeStateAsUpdate(source)));
  });

  it("rewriting replaces both snapshot generations and deletes the whole log up to the given entry", async () => {
    const source = new Y.Doc();
    await store.appendUpdate("docdocdocdocdocd", edit(source, "a", "1"));
    await store.compactDocument("docdocdocdocdocd", Y.encodeStateAsUpdate(source), 1);
    const upto = await store.appendUpdate("docdocdocdocdocd", edit(source, "b", "2"));
    await store.compactDocument("docdocdocdocdocd", Y.encodeStateAsUpdate(source), upto);
    await store.rewriteDocument("docdocdocdocdocd", Y.encodeStateAsUpdate(source), upto);
    const stored = await store.loadDocument("docdocdocdocdocd");
    expect(stored?.previous).toBeNull();
    expect(stored?.updates).toEqual([]);
    expect(replay(stored).getMap("m").toJSON()).toEqual({ a: "1", b: "2" });
  });

  it("keeps everything across reopening the file", async () => {
    const source = new Y.Doc();
    await store.appendUpdate("docdocdocdocdocd", edit(source, "k", "v"));
    await store.close();
    store = new SqliteDocStore(dir);
    expect(
      replay(await store.loadDocument("docdocdocdocdocd"))
        .getMap("m")
        .get("k"),
    ).toBe("v");
  });
});
