import { describe, expect, it } from "vitest";
import { cellKey, indexCursors, initialsOf, peerColor, readPeers } from "./presence.ts";

describe("readPeers", () => {
  it("lists everyone else with a server-stamped user, tolerating malformed states", () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { name: "核实组 · 小王", color: "#2563eb" }, cursor: { sheetId: "requests", rowId: "r1", columnId: "phone" } }],
      [2, { user: { name: "me", color: "#000000" } }],
      [3, { cursor: { sheetId: "requests" } }],
      [4, { user: { name: "", color: "red; background: url(x)" }, cursor: "garbage" }],
    ]);
    const peers = readPeers(states, 2);
    expect(peers.map((p) => p.clientId)).toEqual([1, 4]);
    expect(peers[0]).toMatchObject({ name: "核实组 · 小王", color: "#2563eb", cursor: { rowId: "r1", columnId: "phone" } });
    expect(peers[1]).toMatchObject({ name: "匿名志愿者", cursor: null });
    expect(peers[1]?.color).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe("indexCursors", () => {
  it("groups cursors by cell on one sheet only", () => {
    const peer = (clientId: number, sheetId: string, rowId: string | null) => ({
      clientId,
      name: `p${clientId}`,
      color: peerColor(null, clientId),
      cursor: { sheetId, rowId, columnId: "a" },
    });
    const index = indexCursors([peer(1, "s", "r"), peer(2, "s", "r"), peer(3, "t", "r"), peer(4, "s", null)], "s");
    expect([...index.keys()]).toEqual([cellKey("r", "a")]);
    expect(index.get(cellKey("r", "a"))?.map((p) => p.clientId)).toEqual([1, 2]);
  });
});

it("shows the given name of a team label on avatars", () => {
  expect(initialsOf("核实组 · 小王")).toBe("小王");
  expect(initialsOf("张三丰")).toBe("三丰");
  expect(initialsOf("编辑者")).toBe("编辑");
  expect(initialsOf("alice")).toBe("A");
  expect(initialsOf("")).toBe("?");
});
