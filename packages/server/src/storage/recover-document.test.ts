import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { StoredDocument } from "./doc-store.ts";
import { checksumOf } from "./integrity.ts";
import { UnrecoverableDocumentError, recoverDocument } from "./recover-document.ts";

/** A writer whose every change is captured as a log entry with its checksum. */
function writer() {
  const doc = new Y.Doc();
  const log: { seq: number; update: Uint8Array; checksum: number | null }[] = [];
  let seq = 0;
  doc.on("update", (update: Uint8Array) => log.push({ seq: ++seq, update, checksum: checksumOf(update) }));
  return { doc, log, set: (key: string, value: string) => doc.getMap("m").set(key, value) };
}

function stored(
  snapshot: Uint8Array,
  snapshotSeq: number,
  updates: StoredDocument["updates"],
  extra: Partial<StoredDocument> = {},
): StoredDocument {
  return { snapshot, snapshotSeq, snapshotChecksum: checksumOf(snapshot), previous: null, updates, ...extra };
}

const flip = (bytes: Uint8Array) => bytes.map((byte, i) => (i === bytes.length - 1 ? byte ^ 0xff : byte));

describe("recovering a stored document", () => {
  it("replays a clean snapshot and log completely", () => {
    const w = writer();
    const snapshot = Y.encodeStateAsUpdate(w.doc);
    w.set("a", "1");
    w.set("b", "2");
    const doc = new Y.Doc();
    const report = recoverDocument(doc, stored(snapshot, 0, w.log), "load");
    expect(report).toEqual({ base: "snapshot", lastSeq: 2, applied: 2, damage: [] });
    expect(doc.getMap("m").toJSON()).toEqual({ a: "1", b: "2" });
  });

  it("leaves out a damaged or truncated entry and what builds on it, keeps independent entries after it", () => {
    const alice = writer();
    alice.set("base", "x");
    const snapshot = Y.encodeStateAsUpdate(alice.doc);
    alice.log.length = 0;
    alice.set("a1", "1");
    alice.set("a2", "2");
    const bob = new Y.Doc();
    Y.applyUpdate(bob, snapshot);
    let bobUpdate: Uint8Array = new Uint8Array();
    bob.once("update", (update: Uint8Array) => {
      bobUpdate = update;
    });
    bob.getMap("m").set("b", "bob");
    const [a1, a2] = alice.log;
    const log = [
      { seq: 10, update: a1!.update.slice(0, a1!.update.length - 2), checksum: a1!.checksum }, // truncated
      { seq: 11, update: a2!.update, checksum: a2!.checksum }, // Alice's next clock: needs entry 10
      { seq: 12, update: bobUpdate, checksum: checksumOf(bobUpdate) }, // independent
      { seq: 13, update: flip(bobUpdate), checksum: checksumOf(bobUpdate) }, // damaged
    ];
    const doc = new Y.Doc();
    const report = recoverDocument(doc, stored(snapshot, 9, log), "load");
    expect(report.damage).toEqual([
      { entry: "log", seq: 10, reason: "checksum-mismatch" },
      { entry: "log", seq: 11, reason: "missing-dependencies" },
      { entry: "log", seq: 13, reason: "checksum-mismatch" },
    ]);
    expect(report).toMatchObject({ base: "snapshot", lastSeq: 12, applied: 1 });
    expect(doc.getMap("m").toJSON()).toEqual({ base: "x", b: "bob" });
    expect(doc.store.pendingStructs).toBeNull();
    expect(doc.store.pendingDs).toBeNull();
  });

  it("rebuilds from the previous snapshot generation and the log when the snapshot is damaged", () => {
    const w = writer();
    w.set("a", "1");
    const previous = Y.encodeStateAsUpdate(w.doc);
    w.set("b", "2");
    const snapshot = Y.encodeStateAsUpdate(w.doc);
    w.set("c", "3");
    const doc = new Y.Doc();
    const report = recoverDocument(
      doc,
      stored(flip(snapshot), 2, w.log.slice(1), {
        snapshotChecksum: checksumOf(snapshot),
        previous: { state: previous, seq: 1, checksum: checksumOf(previous) },
      }),
      "load",
    );
    expect(report).toEqual({
      base: "previous-snapshot",
      lastSeq: 3,
      applied: 2,
      damage: [{ entry: "snapshot", seq: 2, reason: "checksum-mismatch" }],
    });
    expect(doc.getMap("m").toJSON()).toEqual({ a: "1", b: "2", c: "3" });
  });

  it("refuses when no snapshot verifies, rather than serving less", () => {
    const w = writer();
    w.set("a", "1");
    const snapshot = Y.encodeStateAsUpdate(w.doc);
    const damaged = stored(flip(snapshot), 1, [], {
      snapshotChecksum: checksumOf(snapshot),
      previous: { state: flip(snapshot), seq: 0, checksum: checksumOf(snapshot) },
    });
    expect(() => recoverDocument(new Y.Doc(), damaged, "load")).toThrow(UnrecoverableDocumentError);
  });

  it("accepts entries stored before checksums existed when they decode, and leaves out those that do not", () => {
    const w = writer();
    const snapshot = Y.encodeStateAsUpdate(w.doc);
    w.set("a", "1");
    const log = [
      { seq: 1, update: w.log[0]!.update, checksum: null },
      { seq: 2, update: new Uint8Array([7, 1, 2, 3]), checksum: null },
    ];
    const doc = new Y.Doc();
    const report = recoverDocument(doc, stored(snapshot, 0, log, { snapshotChecksum: null }), "load");
    expect(report.damage).toEqual([{ entry: "log", seq: 2, reason: "undecodable" }]);
    expect(doc.getMap("m").toJSON()).toEqual({ a: "1" });
  });
});
