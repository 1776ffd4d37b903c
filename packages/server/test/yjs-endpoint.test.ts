import { type ColumnId, type SheetId, type Workbook, openWorkbook, publicProjection } from "@huzhu/schema";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { HuzhuServer } from "../src/index.ts";
import { createWorkbookOverHttp, readStoredDocument, useHarness, waitFor } from "./helpers.ts";

const requests = "requests" as SheetId;
const hospitals = "hospitals" as SheetId;

/** What the public may see of each sheet: its published rows and their public cells. */
function publicRows(workbook: Workbook) {
  return publicProjection(workbook).sheets.map((sheet) => ({ sheet: sheet.id, rows: sheet.rows }));
}

/** The y-websocket endpoint of a server, as a standard client is given it. */
function yjsUrl(server: HuzhuServer): string {
  return `${server.url.replace(/^http/, "ws")}/yjs`;
}

describe("standard Yjs clients on /yjs/<document> (y-websocket protocol)", () => {
  const { start, peer: connect } = useHarness();
  const providers: WebsocketProvider[] = [];
  afterEach(() => {
    for (const provider of providers.splice(0)) provider.destroy();
  });

  /** y-websocket's own WebsocketProvider, as any Yjs application would create it. */
  function standardClient(server: HuzhuServer, documentName: string, token: string): WebsocketProvider {
    const provider = new WebsocketProvider(yjsUrl(server), documentName, new Y.Doc(), {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token },
      disableBc: true,
    });
    providers.push(provider);
    return provider;
  }

  it("syncs the editable workbook both ways with a Hocuspocus provider, and what it writes is stored", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    const hocuspocus = await connect(server, body);
    const yjs = standardClient(server, body.id, body.links.editor.token);
    await waitFor(() => yjs.synced, "the y-websocket client's sync");
    const workbook = openWorkbook(yjs.doc, { origin: "y-websocket" });
    expect(workbook.readMeta().title).toBe("测试");

    const fromHocuspocus = hocuspocus.workbook.insertRow(requests, { description: "来自网格" });
    await waitFor(
      () => workbook.findRow(requests, fromHocuspocus)?.cells["description"] === "来自网格",
      "the grid's row at the Yjs client",
    );

    const fromYjs = workbook.insertRow(requests, { description: "来自标准客户端" });
    workbook.setCell(requests, fromHocuspocus, "street" as ColumnId, "淮海中路");
    await waitFor(
      () =>
        hocuspocus.workbook.findRow(requests, fromYjs)?.cells["description"] === "来自标准客户端" &&
        hocuspocus.workbook.findRow(requests, fromHocuspocus)?.cells["street"] === "淮海中路",
      "the Yjs client's edits in the grid's model",
    );
    // The server numbers the row whoever inserted it, and the number reaches the Yjs client.
    await waitFor(() => (workbook.findRow(requests, fromYjs)?.cells["caseNumber"] ?? "") !== "", "a case number at the Yjs client");
    const stored = readStoredDocument(server.dataDir, body.id);
    expect(stored && openWorkbook(stored).findRow(requests, fromYjs)?.cells["description"]).toBe("来自标准客户端");
  });

  it("stamps the Yjs client's presence with its link's label, like any other", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    const hocuspocus = await connect(server, body);
    const yjs = standardClient(server, body.id, body.links.editor.token);
    yjs.awareness.setLocalStateField("user", { name: "冒充管理员", color: "#000000" });
    yjs.awareness.setLocalStateField("cursor", { row: 3 });
    const awareness = hocuspocus.provider.awareness;
    await waitFor(() => awareness?.getStates().get(yjs.doc.clientID)?.["cursor"] !== undefined, "the Yjs client's presence");
    expect(awareness?.getStates().get(yjs.doc.clientID)).toMatchObject({ user: { name: "编辑者" }, cursor: { row: 3 } });
  });

  it("refuses a bad token with a close code that stops retries and the reason", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    const denied: string[] = [];
    const originalWarn = console.warn;
    console.warn = (message: unknown) => denied.push(String(message));
    try {
      const yjs = standardClient(server, body.id, "not-a-valid-token");
      const closed = await new Promise<{ code: number; reason: string }>((resolve) => yjs.on("closed", (event) => resolve(event)));
      expect(closed).toEqual({ code: 4401, reason: "invalid-token" });
      expect(yjs.synced).toBe(false);
      expect(openWorkbook(yjs.doc).listSheets()).toEqual([]);
      expect(denied.join("\n")).toContain("invalid-token");
    } finally {
      console.warn = originalWarn;
    }

    const unknownDocument = standardClient(server, "NOT-A-WORKBOOK", body.links.editor.token);
    const refused = await new Promise<{ code: number; reason: string }>((resolve) =>
      unknownDocument.on("closed", (event) => resolve(event)),
    );
    expect(refused).toEqual({ code: 4400, reason: "invalid-document-name" });
  });

  it("serves the public projection read-only: a standard client's writes are dropped, an editor's edits arrive", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "公开", sampleData: true });
    const editor = await connect(server, body);
    const writer = standardClient(server, body.collab.publicDocumentName, body.links.public.token);
    const reader = standardClient(server, body.collab.publicDocumentName, body.links.public.token);
    await waitFor(() => writer.synced && reader.synced, "both standard clients' sync");
    const view = openWorkbook(reader.doc);
    expect(publicRows(view)).toEqual(publicRows(editor.workbook));

    // A write to the public document: applied locally, never by the server, so nobody else sees it.
    const forged = openWorkbook(writer.doc, { origin: "forger" }).insertRow(hospitals, { name: "伪造的医院" });
    const hospital = editor.workbook.listRows(hospitals)[0]!;
    editor.workbook.setCell(hospitals, hospital.id, "name" as ColumnId, "瑞金医院（已更新）");
    await waitFor(
      () => view.findRow(hospitals, hospital.id)?.cells["name"] === "瑞金医院（已更新）",
      "the editor's edit at the public reader",
    );
    expect(view.findRow(hospitals, forged)).toBeUndefined();
    expect(editor.workbook.findRow(hospitals, forged)).toBeUndefined();
    const again = standardClient(server, body.collab.publicDocumentName, body.links.public.token);
    await waitFor(() => again.synced, "a fresh reader's sync");
    expect(openWorkbook(again.doc).findRow(hospitals, forged)).toBeUndefined();
  });

  it("refuses a public link on the editable document, as /collab does", async () => {
    const server = await start();
    const { body } = await createWorkbookOverHttp(server);
    const yjs = standardClient(server, body.id, body.links.public.token);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => yjs.on("closed", (event) => resolve(event)));
    expect(closed).toEqual({ code: 4403, reason: "role-not-allowed" });
  });

  it("answers 404 to any other path under /yjs", async () => {
    const server = await start();
    const socket = new WebSocket(`${yjsUrl(server)}/a/b`);
    const status = await new Promise<number | undefined>((resolve) => {
      socket.on("unexpected-response", (_request, response) => resolve(response.statusCode));
      socket.on("error", () => resolve(undefined));
    });
    expect(status).toBe(404);
  });
});
