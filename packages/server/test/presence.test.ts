import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import { createWorkbookOverHttp, useHarness, waitFor } from "./helpers.ts";

/**
 * An awareness update claiming `clientId` with `state`, at a clock far ahead of anything the real
 * owner sent, so a receiver would take it if the server let it through.
 */
function awarenessUpdateFor(clientId: number, state: Record<string, unknown>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, 1_000_000);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

describe("presence stamped by the server", () => {
  const { start, peer, raw } = useHarness();

  it("replaces the name and colour a client claims with its link's label and colour", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    const alice = await peer(server, body);
    const bob = await peer(server, body);

    alice.provider.setAwarenessField("user", { name: "管理员", color: "#000000" });
    alice.provider.setAwarenessField("cursor", { sheetId: "requests", rowId: "r1", columnId: "phone" });
    const aliceId = alice.provider.document.clientID;
    const seenByBob = () => bob.provider.awareness?.getStates().get(aliceId);
    await waitFor(() => seenByBob()?.["cursor"] !== undefined, "Alice's cursor at Bob");

    expect(seenByBob()?.["user"]).toEqual({ name: "编辑者", color: "#2563eb" });
    expect(seenByBob()?.["cursor"]).toEqual({ sheetId: "requests", rowId: "r1", columnId: "phone" });
  });

  it("drops presence a connection sends for another connection's client id", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    const alice = await peer(server, body);
    const bob = await peer(server, body);
    alice.provider.setAwarenessField("cursor", { sheetId: "requests", rowId: "r1", columnId: "notes" });
    const aliceId = alice.provider.document.clientID;
    await waitFor(() => bob.provider.awareness?.getStates().get(aliceId)?.["cursor"] !== undefined, "Alice's cursor at Bob");

    const mallory = await raw(server, body);
    mallory.sendAwareness(awarenessUpdateFor(aliceId, { cursor: { sheetId: "requests", rowId: "hijacked", columnId: "phone" } }));
    // Messages of one connection are handled in order: once Mallory's own state arrives, the
    // forged one has been handled too.
    const malloryId = 424242;
    mallory.sendAwareness(awarenessUpdateFor(malloryId, { cursor: null }));
    await waitFor(() => bob.provider.awareness?.getStates().has(malloryId) === true, "Mallory's own presence at Bob");

    expect(bob.provider.awareness?.getStates().get(aliceId)?.["cursor"]).toEqual({ sheetId: "requests", rowId: "r1", columnId: "notes" });
    expect(bob.provider.awareness?.getStates().get(malloryId)?.["user"]).toEqual({ name: "编辑者", color: "#2563eb" });
  });
});
