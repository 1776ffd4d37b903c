import { type ColumnId, type RowId, type SheetId, SystemField, type Workbook, openWorkbook } from "@huzhu/schema";
import * as encoding from "lib0/encoding";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { CreatedWorkbook, HuzhuServer } from "../src/index.ts";
import { closedWith, publicName, usePeers } from "./audiences-helpers.ts";
import { createWorkbookOverHttp, readStoredDocument, useHarness, waitFor } from "./helpers.ts";
import { Message, RawClient } from "./raw-client.ts";
import { SQLITE_FILE } from "../src/storage/sqlite-store.ts";

const requests = "requests" as SheetId;
const col = (id: string) => id as ColumnId;

/** Writes an editor may not make, each through the typed API (what a modified client could send). */
const FORBIDDEN: Record<string, (workbook: Workbook, rowId: RowId) => void> = {
  "a column's private flag": (w) => w.updateColumn(requests, col("phone"), { private: false }),
  "a column's in-form flag": (w) => w.updateColumn(requests, col("notes"), { inForm: true }),
  "a column's required flag": (w) => w.updateColumn(requests, col("street"), { required: true }),
  "a column's label": (w) => w.updateColumn(requests, col("phone"), { label: "电话（公开）" }),
  "a sheet's public mode": (w) => w.updateSheet(requests, { publicMode: "all" }),
  "a sheet's public rule": (w) => w.updateSheet(requests, { publicRule: { all: [] } }),
  "a sheet's tint column": (w) => w.updateSheet(requests, { tintColumn: col("category") }),
  "workbook meta": (w) => w.setMeta({ title: "被改掉的标题" }),
  "a new column": (w) => w.addColumn(requests, { type: "text", label: "偷偷加的列" }),
  "a new sheet": (w) => w.addSheet({ name: "偷偷加的表", publicMode: "all" }),
  "purging a row": (w, rowId) => w.purgeRow(requests, rowId),
  "a row's case number": (w, rowId) => w.setSystemCell(requests, rowId, SystemField.caseNumber, "SH-9999"),
  "a row's submission time": (w, rowId) => w.setSystemCell(requests, rowId, SystemField.submittedAt, "2020-01-01T00:00:00.000Z"),
  "a new row carrying a case number": (w) => {
    const row = new Y.Map<unknown>();
    row.set("$order", "a0");
    row.set("caseNumber", "SH-0001");
    rowsMap(w).set("forgedrow0001", row);
  },
  "a new row inserted with a case number": (w) => w.insertRow(requests, { caseNumber: "SH-0001", description: "伪造的编号" }),
  // Below the typed API, what only a hand-made client would do; the layout's key names are spelled
  // out here on purpose, as an attacker would.
  "a row's inserted cells, replaced": (w, rowId) => (rowsMap(w).get(rowId) as Y.Map<unknown>).set("$cells", { description: "全部换掉" }),
  "a row's inserted cells, deleted": (w, rowId) => (rowsMap(w).get(rowId) as Y.Map<unknown>).delete("$cells"),
  "a row replaced by a plain value": (w, rowId) => rowsMap(w).set(rowId, "x"),
  "a shared type inside a cell": (w, rowId) => (rowsMap(w).get(rowId) as Y.Map<unknown>).set("notes", new Y.Map()),
  "a new root type": (w) => w.ydoc.getMap("backdoor").set("k", "v"),
};

/** What a server killed while it held `clientId` for the document leaves in storage. */
function leftHeldByCrash(server: HuzhuServer, documentName: string, clientId: number): void {
  const db = new DatabaseSync(join(server.dataDir, SQLITE_FILE));
  try {
    db.prepare("INSERT INTO server_client_ids (doc_name, client_id, held) VALUES (?, ?, 1)").run(documentName, clientId);
  } finally {
    db.close();
  }
}

function sendStep2(client: RawClient, update: Uint8Array): void {
  client.send((encoder) => {
    encoding.writeVarUint(encoder, Message.sync);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, update);
  });
}

function rowsMap(workbook: Workbook): Y.Map<unknown> {
  return (workbook.ydoc.getMap("sheets").get("requests") as Y.Map<unknown>).get("rows") as Y.Map<unknown>;
}

/** Everything of a workbook an editor must not be able to change, as plain data. */
function protectedState(workbook: Workbook, added: readonly RowId[] = []) {
  return {
    meta: workbook.readMeta(),
    sheets: workbook.listSheets(),
    columns: workbook.listSheets().map((sheet) => workbook.readSheet(sheet.id).columns),
    rowIds: workbook
      .listRows(requests, { includeDeleted: true })
      .map((row) => row.id)
      .filter((id) => !added.includes(id)),
    roots: [...workbook.ydoc.share.keys()].filter((key) => key !== "backdoor").sort(),
    systemCells: workbook
      .listRows(requests)
      .filter((row) => !added.includes(row.id))
      .map((row) => [row.cells["caseNumber"], row.cells["submittedAt"]]),
  };
}

describe("roles enforced by the server", () => {
  const { start, raw } = useHarness();
  const peers = usePeers();

  async function setUp(): Promise<{ server: HuzhuServer; created: CreatedWorkbook }> {
    const server = await start();
    return {
      server,
      created: (await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "角色", sampleData: true })).body,
    };
  }

  it("form and public links cannot open the editable document; form links cannot open the public one", async () => {
    const { server, created } = await setUp();
    expect(await peers.refused(server, created.id, created.links.form.token)).toBe("role-not-allowed");
    expect(await peers.refused(server, created.id, created.links.public.token)).toBe("role-not-allowed");
    expect(await peers.refused(server, publicName(created), created.links.form.token)).toBe("role-not-allowed");
    expect(await peers.refused(server, `${created.id}.private`, created.links.admin.token)).toBe("invalid-document-name");
    const viewer = await peers.synced(server, publicName(created), created.links.public.token);
    expect(viewer.provider.authorizedScope).toBe("readonly");
    const preview = await peers.synced(server, publicName(created), created.links.editor.token);
    expect(preview.provider.authorizedScope).toBe("readonly");
  });

  it.each(Object.keys(FORBIDDEN))("refuses an editor's update touching %s: not applied, others unaffected", async (what) => {
    const { server, created } = await setUp();
    const admin = await peers.synced(server, created.id, created.links.admin.token);
    const mallory = await peers.synced(server, created.id, created.links.editor.token);
    const colleague = await peers.synced(server, created.id, created.links.editor.token);
    const rowId = admin.workbook.listRows(requests)[0]?.id as RowId;
    const before = protectedState(admin.workbook);

    (FORBIDDEN[what] as (workbook: Workbook, rowId: RowId) => void)(mallory.workbook, rowId);
    expect(await closedWith(mallory)).toBe("update-forbidden");

    // Others carry on, and nothing of the refused update reached them or storage.
    const edited = colleague.workbook.insertRow(requests, { description: "拒绝之后仍可编辑" });
    await waitFor(() => admin.workbook.findRow(requests, edited) !== undefined, "the colleague's row at the admin");
    await colleague.acknowledged();
    expect(colleague.closeReasons).toEqual([]);
    expect(protectedState(admin.workbook, [edited])).toEqual(before);
    expect(protectedState(colleague.workbook, [edited])).toEqual(before);
    const stored = readStoredDocument(server.dataDir, created.id) as Y.Doc;
    expect(protectedState(openWorkbook(stored), [edited])).toEqual(before);
    expect(stored.share.has("backdoor")).toBe(false);
  });

  it.each(Object.keys(FORBIDDEN))("refuses %s in an editor's sync step 2 as well: not applied, others unaffected", async (what) => {
    const { server, created } = await setUp();
    const admin = await peers.synced(server, created.id, created.links.admin.token);
    const colleague = await peers.synced(server, created.id, created.links.editor.token);
    const rowId = admin.workbook.listRows(requests)[0]?.id as RowId;
    const before = protectedState(admin.workbook);
    // A modified client's "state" after reconnecting: the workbook with the forbidden change in it.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(admin.provider.document));
    (FORBIDDEN[what] as (workbook: Workbook, rowId: RowId) => void)(openWorkbook(forged), rowId);
    const mallory = await raw(server, created);
    sendStep2(mallory, Y.encodeStateAsUpdate(forged, Y.encodeStateVector(admin.provider.document)));
    await waitFor(() => mallory.frames.some((frame) => frame.type === Message.close), "the step 2 to be refused");
    expect(mallory.frames.find((frame) => frame.type === Message.close)?.reason).toBe("update-forbidden");

    const edited = colleague.workbook.insertRow(requests, { description: "拒绝之后仍可编辑" });
    await colleague.acknowledged();
    expect(protectedState(admin.workbook, [edited])).toEqual(before);
    const stored = readStoredDocument(server.dataDir, created.id) as Y.Doc;
    expect(protectedState(openWorkbook(stored), [edited])).toEqual(before);
  });

  it("lets editors edit, add, trash, restore and move rows (a 300-row paste included), and admins change settings", async () => {
    const { server, created } = await setUp();
    const editor = await peers.synced(server, created.id, created.links.editor.token);
    const admin = await peers.synced(server, created.id, created.links.admin.token);
    const [first, second] = editor.workbook.listRows(requests).map((row) => row.id) as [RowId, RowId];
    editor.workbook.setCells(requests, first, { street: "长乐路", verification: "verified", phone: "13900001111" });
    editor.workbook.deleteRow(requests, second);
    editor.workbook.restoreRow(requests, second);
    editor.workbook.moveRow(requests, first, { after: second });
    editor.workbook.insertRows(
      requests,
      Array.from({ length: 300 }, (_, i) => ({ description: `批量 ${i}` })),
    );
    await editor.acknowledged();
    expect(editor.closeReasons).toEqual([]);

    admin.workbook.updateColumn(requests, col("street"), { private: true });
    admin.workbook.updateSheet(requests, { publicMode: "all" });
    await admin.acknowledged();
    await waitFor(() => editor.workbook.readSheet(requests).publicMode === "all", "the admin's setting at the editor");
    expect(editor.workbook.readSheet(requests).columns.find((c) => c.id === "street")?.private).toBe(true);
    expect(admin.workbook.findRow(requests, first)?.cells["street"]).toBe("长乐路");
    expect(admin.closeReasons).toEqual([]);
  });

  it("drops a public viewer's updates and closes it after repeated attempts; other viewers see nothing of them", async () => {
    const { server, created } = await setUp();
    const viewer = await peers.synced(server, publicName(created), created.links.public.token);
    const other = await peers.synced(server, publicName(created), created.links.public.token);
    const title = other.workbook.readMeta().title;
    viewer.provider.setAwarenessField("user", { name: "冒充的管理员", color: "#000000" });
    for (let attempt = 1; attempt <= 3; attempt += 1) viewer.workbook.ydoc.getMap("meta").set("title", `篡改 ${attempt}`);
    expect(await closedWith(viewer)).toBe("read-only");
    const fresh = await peers.synced(server, publicName(created), created.links.public.token);
    expect(fresh.workbook.readMeta().title).toBe(title);
    expect(other.workbook.readMeta().title).toBe(title);
    // Read-only connections broadcast no presence at all: the other viewer only ever knew itself.
    expect([...(other.provider.awareness?.getStates().keys() ?? [])]).toEqual([other.provider.document.clientID]);
  });

  it("stamps an admin's presence with the admin link's label and colour, whatever it claims", async () => {
    const { server, created } = await setUp();
    const admin = await peers.synced(server, created.id, created.links.admin.token);
    const editor = await peers.synced(server, created.id, created.links.editor.token);
    admin.provider.setAwarenessField("user", { name: "编辑者", color: "#2563eb" });
    admin.provider.setAwarenessField("cursor", { sheetId: "requests" });
    const seen = () => editor.provider.awareness?.getStates().get(admin.provider.document.clientID);
    await waitFor(() => seen()?.["cursor"] !== undefined, "the admin's cursor at the editor");
    expect(seen()?.["user"]).toEqual({ name: "管理员", color: "#7c3aed" });
  });
});

describe("one Yjs client id per connection", () => {
  const { start, raw } = useHarness();
  const peers = usePeers();

  it("refuses a second connection's update written under a client id another live connection uses", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const alice = await peers.synced(server, created.id, created.links.editor.token);
    const bob = await peers.synced(server, created.id, created.links.editor.token);
    const aliceId = alice.provider.document.clientID;
    const rowId = alice.workbook.insertRow(requests, { description: "Alice 的行" });
    await alice.acknowledged();

    // Mallory (another editor link holder) writes under Alice's id, at the clocks Alice uses next.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(alice.provider.document));
    forged.clientID = aliceId;
    let update: Uint8Array | undefined;
    forged.on("update", (u: Uint8Array) => {
      update = u;
    });
    openWorkbook(forged).setCell(requests, rowId, col("description"), "被冒名改写");
    const mallory = await raw(server, created);
    mallory.sendUpdate(update as Uint8Array);
    await waitFor(() => mallory.frames.some((frame) => frame.type === Message.close), "Mallory's document to be closed");
    expect(mallory.frames.find((frame) => frame.type === Message.close)?.reason).toBe("client-id-in-use");

    // Alice's next edit (same clock Mallory tried to take) is not swallowed.
    alice.workbook.setCell(requests, rowId, col("description"), "Alice 的修改");
    await waitFor(() => bob.workbook.findRow(requests, rowId)?.cells["description"] === "Alice 的修改", "Alice's edit at Bob");
    await alice.acknowledged();
    expect(alice.closeReasons).toEqual([]);
  });

  it("lets an author edit on after another peer relayed the author's edits in its sync step 2", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    // Alice's edits, which Bob received and the server then lost (a crash between sending them
    // out and storing them): Bob's step 2 after the restart carries them.
    const alice = new Y.Doc();
    const viewer = await peers.synced(server, created.id, created.links.editor.token);
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(viewer.provider.document));
    let aliceUpdate: Uint8Array | undefined;
    alice.on("update", (u: Uint8Array) => {
      aliceUpdate = u;
    });
    const rowId = openWorkbook(alice).insertRow(requests, { description: "Alice 写、Bob 转交" });
    const bob = await raw(server, created);
    bob.send((encoder) => {
      encoding.writeVarUint(encoder, Message.sync);
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint8Array(encoder, aliceUpdate as Uint8Array);
    });
    await waitFor(() => viewer.workbook.findRow(requests, rowId) !== undefined, "Alice's row, relayed by Bob");

    // Alice reconnects and edits on under her own id while Bob stays connected.
    const author = await raw(server, created);
    openWorkbook(alice).setCell(requests, rowId, col("description"), "Alice 接着改");
    author.sendUpdate(aliceUpdate as Uint8Array);
    await waitFor(() => viewer.workbook.findRow(requests, rowId)?.cells["description"] === "Alice 接着改", "Alice's next edit");
    expect(author.frames.some((frame) => frame.type === Message.close)).toBe(false);
    expect(bob.frames.some((frame) => frame.type === Message.close)).toBe(false);
  });

  it("accepts a relay of an author's edits while the author is back but not synced yet; refuses what the author does not hold", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const viewer = await peers.synced(server, created.id, created.links.editor.token);
    // Alice's edits, which Bob received and the server then lost in a crash.
    const alice = new Y.Doc();
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(viewer.provider.document));
    const updates: Uint8Array[] = [];
    alice.on("update", (u: Uint8Array) => updates.push(u));
    const rowId = openWorkbook(alice).insertRow(requests, { description: "Alice 写、Bob 转交" });
    const relayed = updates[0] as Uint8Array;

    // After the restart Alice is back first: her sync step 1 (her state) and her presence, not yet her step 2.
    const author = await raw(server, created);
    author.send((encoder) => {
      encoding.writeVarUint(encoder, Message.sync);
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarUint8Array(encoder, Y.encodeStateVector(alice));
    });
    author.sendAwareness(awarenessFor(alice.clientID));
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Bob's step 2 relays Alice's edits: she holds them all, so nothing of hers can be taken.
    const bob = await raw(server, created);
    bob.send((encoder) => {
      encoding.writeVarUint(encoder, Message.sync);
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint8Array(encoder, relayed);
    });
    await waitFor(() => viewer.workbook.findRow(requests, rowId) !== undefined, "Alice's row, relayed by Bob");
    expect(bob.frames.some((frame) => frame.type === Message.close)).toBe(false);

    // A step 2 carrying structs under Alice's id past the state she sent is refused, as before.
    openWorkbook(alice).setCell(requests, rowId, col("description"), "Alice 还没发出的修改");
    const mallory = await raw(server, created);
    mallory.send((encoder) => {
      encoding.writeVarUint(encoder, Message.sync);
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint8Array(encoder, updates[1] as Uint8Array);
    });
    await waitFor(() => mallory.frames.some((frame) => frame.type === Message.close), "the step 2 past Alice's state to be refused");
    expect(mallory.frames.find((frame) => frame.type === Message.close)?.reason).toBe("client-id-in-use");
    expect(author.frames.some((frame) => frame.type === Message.close)).toBe(false);
  });

  it("accepts a relayed second copy of a row the server wrote again after a crash; refuses the same as a live edit", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const admin = await peers.synced(server, created.id, created.links.admin.token);
    // The server's first copy of each row, which Bob received before the crash lost it: written
    // under the id the crashed server held (still held in storage); a higher client id than the
    // second copy's, so it wins the key and replaces that copy.
    const lost = new Y.Doc();
    lost.clientID = admin.provider.document.clientID + 1;
    leftHeldByCrash(server, created.id, lost.clientID);
    Y.applyUpdate(lost, Y.encodeStateAsUpdate(admin.provider.document));
    const relayed = "rowrelayedcopy1" as RowId;
    const live = "rowliveoverwrt1" as RowId;
    openWorkbook(lost).insertRow(requests, { description: "第一次写入" }, {}, relayed);
    const forger = new Y.Doc();
    forger.clientID = lost.clientID + 1;
    Y.applyUpdate(forger, Y.encodeStateAsUpdate(admin.provider.document));
    openWorkbook(forger).insertRow(requests, { description: "伪造的副本" }, {}, relayed);
    // After the restart the server writes it again under the same id (and another row too).
    for (const rowId of [relayed, live]) admin.workbook.insertRow(requests, { description: "重写" }, {}, rowId);
    await admin.acknowledged();

    // Bob held the first copy and has now received the second: in his document the first won
    // and the second is deleted, so his step 2 carries the first copy and that deletion.
    const bobDoc = new Y.Doc();
    Y.applyUpdate(bobDoc, Y.encodeStateAsUpdate(lost));
    Y.applyUpdate(bobDoc, Y.encodeStateAsUpdate(admin.provider.document));
    const step2 = Y.encodeStateAsUpdate(bobDoc, Y.encodeStateVector(admin.provider.document));
    // The same relay under an id storage does not hold for the server is a modified client's.
    const eve = await raw(server, created);
    sendStep2(eve, Y.encodeStateAsUpdate(forger, Y.encodeStateVector(admin.provider.document)));
    await waitFor(() => eve.frames.some((frame) => frame.type === Message.close), "the forged copy to be refused");
    expect(eve.frames.find((frame) => frame.type === Message.close)?.reason).toBe("update-forbidden");

    const bob = await raw(server, created);
    sendStep2(bob, step2);
    await waitFor(() => admin.workbook.findRow(requests, relayed)?.cells["description"] === "第一次写入", "the relayed copy");
    expect(bob.frames.some((frame) => frame.type === Message.close)).toBe(false);

    let overwrite: Uint8Array | undefined;
    lost.on("update", (u: Uint8Array) => {
      overwrite = u;
    });
    openWorkbook(lost).insertRow(requests, { description: "覆盖" }, {}, live);
    // The same replacement as an editor's own edit would wipe a row: refused.
    const mallory = await raw(server, created);
    mallory.sendUpdate(overwrite as Uint8Array);
    await waitFor(() => mallory.frames.some((frame) => frame.type === Message.close), "the overwrite to be refused");
    expect(mallory.frames.find((frame) => frame.type === Message.close)?.reason).toBe("update-forbidden");
    expect(admin.workbook.findRow(requests, live)?.cells["description"]).toBe("重写");
  });

  it("refuses a provider that reuses a live connection's client id before its first edit", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const alice = await peers.synced(server, created.id, created.links.admin.token);
    const mallory = await peers.synced(server, created.id, created.links.editor.token);
    // Alice shows presence (her first awareness state with content), no edits yet.
    const aliceId = alice.provider.document.clientID;
    alice.provider.setAwarenessField("cursor", { sheetId: "requests" });
    await waitFor(() => mallory.provider.awareness?.getStates().get(aliceId)?.["cursor"] !== undefined, "Alice's presence");
    // A provider whose document claims Alice's id, as seen in her presence.
    mallory.provider.document.clientID = aliceId;
    mallory.workbook.insertRow(requests, { description: "冒名" });
    expect(await closedWith(mallory)).toBe("client-id-in-use");
  });

  it("lets a reconnecting browser take its id over once the old socket no longer answers pings", async () => {
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const stale = await RawClient.open(server.collabUrl, created.id, created.links.editor.token);
    await waitFor(() => stale.authenticated, "the old connection");
    const clientId = 7_654_321;
    const offline = new Y.Doc();
    offline.clientID = clientId;
    let update: Uint8Array | undefined;
    offline.on("update", (u: Uint8Array) => {
      update = u;
    });
    // The old connection used the id for presence, then its network went away (no more reads, no pongs).
    stale.sendAwareness(awarenessFor(clientId));
    await new Promise((resolve) => setTimeout(resolve, 200));
    stale.pause();
    const viewer = await peers.synced(server, created.id, created.links.editor.token);
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(viewer.provider.document));
    openWorkbook(offline).insertRow(requests, { description: "离线时写的" });

    const reconnected = await RawClient.open(server.collabUrl, created.id, created.links.editor.token);
    await waitFor(() => reconnected.authenticated, "the new connection");
    reconnected.sendUpdate(update as Uint8Array);
    await waitFor(
      () => viewer.workbook.listRows(requests).some((row) => row.cells["description"] === "离线时写的"),
      "the offline row, after the old socket failed its ping",
      6_000,
    );
    expect(reconnected.frames.some((frame) => frame.type === Message.close)).toBe(false);
    stale.destroy();
    reconnected.destroy();
  });
});

/** An awareness update for `clientId` (as y-protocols encodes one), far ahead of any real clock. */
function awarenessFor(clientId: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarString(encoder, JSON.stringify({ cursor: null }));
  return encoding.toUint8Array(encoder);
}
