import type { ColumnId, RowId, SheetId } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import type { HuzhuServer } from "../src/index.ts";
import { type WatchedPeer, api, publicName, usePeers } from "./audiences-helpers.ts";
import { createWorkbookOverHttp, useHarness, waitFor } from "./helpers.ts";

const requests = "requests" as SheetId;
const col = (id: string) => id as ColumnId;

/** Distinctive private values: private columns of public rows, a closed row, an unverified row, a private sheet. */
const SECRETS = {
  patientName: "隐私姓名甲乙丙",
  phone: "13987654321",
  emergencyContact: "紧急联系人丁戊 13811112222",
  address: "保密路 987 弄 6 号 501 室",
  notes: "内部备注：家属情绪激动己庚",
  unverified: "未核实的描述辛壬癸",
  closed: "已结案的描述子丑寅",
  privateSheet: "私密工作表的内容卯辰巳",
  madePrivate: "后来设为私密的街道午未申",
} as const;

/** A public value, to show the scan looks where the data would be. */
const CONTROL = "公开描述对照酉戌亥";

/** Every byte a public client received over HTTP or its WebSocket, decoded both ways a value could travel. */
function leaks(haystacks: readonly Buffer[]): string[] {
  const all = Buffer.concat(haystacks);
  const text = all.toString("utf8");
  const found: string[] = [];
  for (const secret of [...Object.values(SECRETS), "13987654321".replace(/(\d{3})(\d{4})(\d{4})/, "$1 $2 $3")]) {
    if (all.includes(Buffer.from(secret, "utf8")) || text.includes(JSON.stringify(secret).slice(1, -1))) found.push(secret);
  }
  return found;
}

async function everyPublicPage(server: HuzhuServer, token: string): Promise<Buffer[]> {
  const url = `${server.url}/p/${token}`;
  const paths = [
    "",
    ".json",
    "?sheet=notice",
    "?sheet=requests",
    "?sheet=requests&page=2",
    "?sheet=requests&q=%E9%9C%80%E8%A6%81",
    "?sheet=channels",
    "?sheet=hospitals",
    "?sheet=secret",
  ];
  const bodies: Buffer[] = [];
  for (const path of paths) {
    const response = await fetch(`${url}${path}`);
    expect(response.status, path).toBe(200);
    bodies.push(Buffer.from(await response.arrayBuffer()), Buffer.from(JSON.stringify([...response.headers])));
  }
  const session = await fetch(`${server.url}/api/session`, { headers: { authorization: `Bearer ${token}` } });
  bodies.push(Buffer.from(await session.arrayBuffer()));
  return bodies;
}

describe("privacy of the public view", () => {
  const { start } = useHarness();
  const peers = usePeers();

  it("never sends a private value to a public viewer: not over its WebSocket, not in any page or JSON", async () => {
    const server = await start();
    const created = (await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "隐私扫描", sampleData: true })).body;
    const token = created.links.public.token;
    // Watching from the start, so every live update is captured too.
    const early = await peers.synced(server, publicName(created), token, { record: true });
    const admin = await peers.synced(server, created.id, created.links.admin.token);
    const editor = await peers.synced(server, created.id, created.links.editor.token);

    const published = editor.workbook.insertRow(requests, {
      description: CONTROL,
      verification: "verified",
      patientName: SECRETS.patientName,
      phone: SECRETS.phone,
      emergencyContact: SECRETS.emergencyContact,
      address: SECRETS.address,
      notes: SECRETS.notes,
    });
    editor.workbook.insertRow(requests, { description: SECRETS.unverified, phone: "13900000000" });
    // Verified and closed in one change: never public, not even for one batch window.
    editor.workbook.insertRow(requests, { description: SECRETS.closed, verification: "verified", followUp: "closed" });
    const secretSheet = admin.workbook.addSheet({
      id: "secret",
      name: "内部",
      publicMode: "none",
      columns: [{ id: "content", type: "text", label: "内容" }],
    });
    admin.workbook.insertRow(secretSheet, { content: SECRETS.privateSheet });
    // A value that was public, then its column was made private: gone for everyone who looks later.
    editor.workbook.setCell(requests, published, col("street"), SECRETS.madePrivate);
    await waitFor(() => early.workbook.findRow(requests, published)?.cells["street"] === SECRETS.madePrivate, "the street while public");
    admin.workbook.updateColumn(requests, col("street"), { private: true });
    await Promise.all([editor.acknowledged(), admin.acknowledged()]);
    await waitFor(() => early.workbook.findRow(requests, published)?.cells["street"] === undefined, "the street to leave the public view");

    const late = await peers.synced(server, publicName(created), token, { record: true });
    const bytes = [...late.received];
    bytes.push(...(await everyPublicPage(server, token)));
    const control = Buffer.concat(bytes);
    expect(control.includes(Buffer.from(CONTROL)), "the public control value reached the public viewer").toBe(true);
    expect(leaks(bytes)).toEqual([]);
    // The viewer watching all along saw the street while it was public, and nothing else.
    expect(leaks(early.received)).toEqual([SECRETS.madePrivate]);
    expect(early.received.length).toBeGreaterThan(2);
    expectNoRowsOf(late, [published]);
  });

  it("keeps private values out when an admin previews the public document and through the admin's own changes", async () => {
    const server = await start();
    const created = (await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "预览", sampleData: true })).body;
    const preview = await peers.synced(server, publicName(created), created.links.admin.token, { record: true });
    const admin = await peers.synced(server, created.id, created.links.admin.token);
    const rowId = admin.workbook.insertRow(requests, { description: CONTROL, verification: "verified", phone: SECRETS.phone });
    admin.workbook.updateColumn(requests, col("notes"), { label: "备注（内部）" });
    admin.workbook.setCells(requests, rowId, { notes: SECRETS.notes });
    await admin.acknowledged();
    await waitFor(() => preview.workbook.findRow(requests, rowId) !== undefined, "the row at the preview");
    const links = await api(server, "GET", `/api/workbooks/${created.id}/links`, created.links.admin.token);
    expect(links.status).toBe(200);
    expect(leaks(preview.received)).toEqual([]);
  });
});

function expectNoRowsOf(peer: WatchedPeer, rowIds: readonly RowId[]): void {
  for (const rowId of rowIds) {
    const row = peer.workbook.findRow(requests, rowId);
    expect(row && Object.keys(row.cells).filter((key) => ["phone", "patientName", "address", "notes", "street"].includes(key))).toEqual([]);
  }
}
