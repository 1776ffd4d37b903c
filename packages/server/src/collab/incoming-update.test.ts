import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { decodeIncomingUpdate, emptyIncomingUpdate } from "./incoming-update.ts";

function anEdit(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap("sheets").set("requests", "值");
  return Y.encodeStateAsUpdate(doc);
}

describe("incoming updates", () => {
  it("are decoded once per message", () => {
    const update = anEdit();
    const decoded = decodeIncomingUpdate(update);
    expect(decoded.structs).toHaveLength(1);
    expect(decodeIncomingUpdate(update)).toBe(decoded);
    expect(decodeIncomingUpdate(update.slice())).not.toBe(decoded);
  });

  it("emptied in place change nothing when applied, and decode as empty", () => {
    const update = anEdit();
    decodeIncomingUpdate(update);
    emptyIncomingUpdate(update);
    expect(decodeIncomingUpdate(update).structs).toHaveLength(0);
    expect(decodeIncomingUpdate(update).ds.clients.size).toBe(0);
    const doc = new Y.Doc();
    let updates = 0;
    doc.on("update", () => {
      updates += 1;
    });
    Y.applyUpdate(doc, update);
    expect(updates).toBe(0);
    expect(doc.getMap("sheets").size).toBe(0);
    Y.applyUpdate(doc, anEdit());
    expect(updates).toBe(1);
  });
});
