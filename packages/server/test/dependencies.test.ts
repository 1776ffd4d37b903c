import type { SheetId } from "@huzhu/schema";
import { openWorkbook } from "@huzhu/schema";
import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectPeer, createWorkbookOverHttp, readStoredDocument, useHarness, waitFor } from "./helpers.ts";
import { api } from "./history-helpers.ts";
import { Message, type RawClient } from "./raw-client.ts";

const requests = "requests" as SheetId;

/** A replica of the server's document, and the V1 updates of the changes made to it from now on. */
function replicaOf(state: Uint8Array) {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, state);
  const updates: Uint8Array[] = [];
  ydoc.on("update", (update: Uint8Array) => updates.push(update));
  return { ydoc, workbook: openWorkbook(ydoc), updates };
}

function sendStep2(client: RawClient, update: Uint8Array): void {
  client.send((encoder) => {
    encoding.writeVarUint(encoder, Message.sync);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, update);
  });
}

const acks = (client: RawClient) => client.frames.filter((frame) => frame.type === Message.syncStatus).length;

describe("updates with missing dependencies", () => {
  const { start, raw } = useHarness();

  async function serverState(server: Awaited<ReturnType<typeof start>>, id: string, token: string): Promise<Uint8Array> {
    const peer = connectPeer(server.collabUrl, id, token);
    try {
      await waitFor(() => peer.provider.isSynced, "a reader's sync");
      return Y.encodeStateAsUpdate(peer.provider.document);
    } finally {
      peer.destroy();
    }
  }

  it("an edit that arrives ahead of the sync step 2 carrying what it builds on is left for the step 2: both end up stored, nothing pending", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const replica = replicaOf(await serverState(server, created.id, created.links.editor.token));
    // A: made while the server was away (it never received it). B: built on A.
    const rowId = replica.workbook.insertRow(requests, { description: "离线时新增" });
    replica.workbook.setCell(requests, rowId, "street" as never, "重连时修改");
    const [a, b] = replica.updates;

    const client = await raw(server, created);
    client.sendUpdate(b as Uint8Array);
    await waitFor(() => acks(client) === 1, "the early update to be answered");
    expect(
      readStoredDocument(server.dataDir, created.id) &&
        openWorkbook(readStoredDocument(server.dataDir, created.id)!).findRow(requests, rowId),
    ).toBeUndefined();

    sendStep2(client, Y.mergeUpdates([a as Uint8Array, b as Uint8Array]));
    await waitFor(() => acks(client) === 2, "the step 2 to be acknowledged");
    const stored = readStoredDocument(server.dataDir, created.id);
    expect(stored && openWorkbook(stored).findRow(requests, rowId)?.cells).toMatchObject({
      description: "离线时新增",
      street: "重连时修改",
    });
    const status = await api<{ updates: { deferredToHandshake: number } }>(server, "/api/status", server.adminToken);
    expect(status.body.updates.deferredToHandshake).toBe(1);
  });

  it("after the handshake, an update missing its dependencies closes the socket with a reason and is neither applied nor stored", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const replica = replicaOf(await serverState(server, created.id, created.links.editor.token));
    const rowId = replica.workbook.insertRow(requests, { description: "缺少依赖" });
    replica.workbook.setCell(requests, rowId, "street" as never, "无根之水");

    const client = await raw(server, created);
    sendStep2(client, Y.encodeStateAsUpdate(new Y.Doc()));
    await waitFor(() => acks(client) === 1, "the empty step 2");
    client.sendUpdate(replica.updates[1] as Uint8Array);
    const closed = await client.closed;
    expect(closed).toEqual({ code: 4400, reason: "missing-dependencies" });

    const reader = connectPeer(server.collabUrl, created.id, created.links.editor.token);
    try {
      await waitFor(() => reader.provider.isSynced, "a reader");
      expect(reader.workbook.findRow(requests, rowId)).toBeUndefined();
      expect(reader.provider.document.store.pendingStructs).toBeNull();
    } finally {
      reader.destroy();
    }
    const stored = readStoredDocument(server.dataDir, created.id);
    expect(stored?.store.pendingStructs).toBeNull();
    expect(stored && openWorkbook(stored).findRow(requests, rowId)).toBeUndefined();
  });
});
