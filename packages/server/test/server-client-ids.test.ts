import type { SheetId } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { SqliteDocStore } from "../src/storage/sqlite-store.ts";
import { type Peer, createWorkbookOverHttp, useHarness, waitFor } from "./helpers.ts";

const requests = "requests" as SheetId;

/** Client ids that wrote to the workbook, as a peer holds it, other than the peers' own. */
function writersOtherThan(peer: Peer, peers: readonly Peer[]): Set<number> {
  const own = new Set(peers.map((p) => p.provider.document.clientID));
  return new Set([...peer.provider.document.store.clients.keys()].filter((id) => !own.has(id)));
}

async function numberedRow(peer: Peer, description: string): Promise<void> {
  const rowId = peer.workbook.insertRow(requests, { description });
  await waitFor(
    () => /^SH-/.test(String(peer.workbook.findRow(requests, rowId)?.cells["caseNumber"] ?? "")),
    "the server to number the row",
  );
  await peer.acknowledged();
}

describe("the server's own client id", () => {
  const { start, peer: connect } = useHarness();

  it("stays the same when the workbook is loaded again after a restart", async () => {
    const first = await start();
    const { body } = await createWorkbookOverHttp(first);
    const alice = await connect(first, body);
    const writersBefore = writersOtherThan(alice, [alice]);
    await numberedRow(alice, "重启之前");
    const afterFirstLoad = writersOtherThan(alice, [alice]);
    // The server numbered the row under one id of its own.
    expect([...afterFirstLoad].filter((id) => !writersBefore.has(id))).toHaveLength(1);
    alice.destroy();
    await first.close();

    const second = await start({ dataDir: first.dataDir });
    const bob = await connect(second, body);
    await numberedRow(bob, "重启之后");
    expect(writersOtherThan(bob, [alice, bob])).toEqual(afterFirstLoad);
  });

  it("is never one a load still holds (or a crash left held), and comes back once released", async () => {
    const server = await start();
    const store = new SqliteDocStore(server.dataDir);
    try {
      const name = "workbook-under-test";
      expect(await store.claimServerClientId(name, 11)).toBe(11);
      // 11 is held (a load of it is open, or died without releasing it): another load gets its own.
      expect(await store.claimServerClientId(name, 12)).toBe(12);
      await store.releaseServerClientId(name, 11);
      expect(await store.claimServerClientId(name, 13)).toBe(11);
      expect(await store.claimServerClientId(name, 14)).toBe(14);
      expect(await store.claimServerClientId("another-workbook", 11)).toBe(11);
      // What the write guard reads: the ids held for the workbook, one registered without a claim too.
      await store.holdServerClientId(name, 15);
      await store.releaseServerClientId(name, 12);
      expect([...(await store.heldServerClientIds(name))].sort()).toEqual([11, 14, 15]);
    } finally {
      await store.close();
    }
  });
});
