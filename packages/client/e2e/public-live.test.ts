import type { ColumnId, RowId, SheetId } from "@huzhu/schema";
import type { CreatedWorkbook, HuzhuServer } from "@huzhu/server";
import { startTestServer } from "@huzhu/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EditorPeer, PHONE, adminApi, connectEditor, launchChromium, reachable, shot, watchProblems } from "./harness.ts";

// The public page on a phone, as someone following a shared link sees it: the server's page,
// upgraded in place to the live projection. Edits to public cells show up within a second without
// a reload; private values never reach the page, not even in the WebSocket's bytes.

const REQUESTS = "requests" as SheetId;
const column = (id: string) => id as ColumnId;
const PRIVATE = { patientName: "私密姓名乙丙", phone: "100 5555 0199", address: "私密地址九号四零四", emergencyContact: "紧急联系人丁戊" };
const LATER_PRIVATE = { phone: "100 5555 0288", notes: "私密备注只给志愿者" };

/** Reads a Hocuspocus frame's message type and, for sync messages, the sync step and its payload length. */
function describeFrame(bytes: Uint8Array): { type: number; syncType?: number; payloadLength?: number } {
  let offset = 0;
  const readVarUint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[offset++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  const nameLength = readVarUint();
  offset += nameLength; // the document name
  const type = readVarUint();
  if (type !== 0) return { type };
  const syncType = readVarUint();
  return { type, syncType, payloadLength: syncType === 0 ? undefined : readVarUint() };
}

/**
 * Whether the live page's tabs and main part are the server's page for `url`, element for element
 * (both parsed and serialised by the browser, whitespace between tags aside).
 */
async function sameAsServer(page: Page, url: string): Promise<{ main: boolean; nav: boolean }> {
  const serverHtml = await (await fetch(url)).text();
  const serverPart = (name: "main" | "nav") => new RegExp(`<${name}[^>]*>([\\s\\S]*?)</${name}>`).exec(serverHtml)?.[1] ?? "";
  return page.evaluate(
    ({ main, nav }) => {
      const normalise = (html: string) => html.replace(/>\s+</g, "><").trim();
      const parse = (html: string) => {
        const template = document.createElement("template");
        template.innerHTML = html;
        return normalise(template.innerHTML);
      };
      const live = (selector: string) => normalise(document.querySelector(selector)?.innerHTML ?? "");
      return { main: parse(main) === live("main#public-root"), nav: parse(nav) === live("body > nav") };
    },
    { main: serverPart("main"), nav: serverPart("nav") },
  );
}

describe("public live page on a phone (Chromium)", () => {
  let server: HuzhuServer;
  let browser: Browser;
  let created: CreatedWorkbook;
  let editor: EditorPeer;
  let rowId: RowId;

  beforeAll(async () => {
    server = await startTestServer();
    created = await server.createWorkbook({ template: "shanghai-medical", title: "上海医疗紧急求助", sampleData: true });
    editor = await connectEditor(server, created.id, created.links.editor.token);
    rowId = editor.workbook.insertRow(REQUESTS, {
      urgency: "critical",
      category: "dialysis",
      district: "xuhui",
      description: "E2E 公开描述：需要血透床位",
      verification: "verified",
      followUp: "todo",
      chatGroup: "https://example.org/group/e2e-live | 2099-01-01 00:00",
      ...PRIVATE,
    });
    await editor.acknowledged();
    browser = await launchChromium();
  });

  afterAll(async () => {
    editor?.destroy();
    await browser?.close();
    await server?.close();
  });

  const cardText = (page: Page, id: string) => page.locator(`article[id="${id}"]`).textContent({ timeout: 2_000 });

  it("goes live in place, follows edits within a second, never shows a private value, and ends when the link is revoked", async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const problems = watchProblems(page);
    const received: Buffer[] = [];
    const sent: Buffer[] = [];
    page.on("websocket", (socket) => {
      socket.on("framereceived", ({ payload }) => received.push(Buffer.from(payload)));
      socket.on("framesent", ({ payload }) => sent.push(Buffer.from(payload)));
    });
    const publicUrl = `${reachable(server, created.links.public.url)}?sheet=requests`;
    const scripts: { url: string; bytes: number }[] = [];
    page.on("response", async (response) => {
      if (response.request().resourceType() === "script")
        scripts.push({ url: new URL(response.url()).pathname, bytes: (await response.body()).length });
    });

    await page.goto(publicUrl);
    await expect.poll(() => page.locator("#live-status").textContent()).toContain("实时更新中");
    expect(await cardText(page, rowId)).toContain("需要血透床位");

    expect(await sameAsServer(page, publicUrl)).toEqual({ main: true, nav: true });
    // A phone on a weak network loads a small stable script and hashed chunks: no editor, no React, no AG Grid.
    expect(scripts[0]?.url).toBe("/public-live.js");
    expect(
      scripts.every((script) => script.url === "/public-live.js" || /^\/assets\/(?!index-)[\w-]+\.js$/.test(script.url)),
      JSON.stringify(scripts),
    ).toBe(true);
    const total = scripts.reduce((sum, script) => sum + script.bytes, 0);
    expect(total, `${total} bytes of script`).toBeLessThan(200_000);
    await shot(page, "public-live-1-phone.png", { screen: true });

    // An editor changes a public cell: the card follows within a second, without a reload.
    await page.evaluate(() => Object.assign(window, { huzhuMarker: "same page" }));
    const updatedBefore = await page.locator("time#updated").getAttribute("datetime");
    const started = Date.now();
    editor.workbook.setCell(REQUESTS, rowId, column("description"), "E2E 公开描述：已找到血透床位");
    await page.waitForFunction((id) => document.getElementById(id)?.textContent?.includes("已找到血透床位"), rowId, {
      polling: "raf",
      timeout: 5_000,
    });
    const elapsed = Date.now() - started;
    expect(elapsed, `the edit reached the public page after ${elapsed} ms`).toBeLessThan(1_000);
    expect(await page.evaluate(() => (window as unknown as { huzhuMarker?: string }).huzhuMarker)).toBe("same page");
    expect(await page.locator("time#updated").getAttribute("datetime")).not.toBe(updatedBefore);
    await shot(page, "public-live-2-updated.png", { screen: true });

    // Private cells change, then a public one (so the projection surely went out after them).
    editor.workbook.setCells(REQUESTS, rowId, LATER_PRIVATE);
    editor.workbook.setCell(REQUESTS, rowId, column("street"), "E2E 公开街道");
    await expect.poll(() => cardText(page, rowId)).toContain("E2E 公开街道");

    // A chat group that was not on the server's page gets its QR code drawn here.
    const sample = editor.workbook.listRows(REQUESTS).find((row) => row.cells["patientName"] === "张某某");
    expect(sample, "the sample request of 张某某").toBeDefined();
    editor.workbook.setCell(REQUESTS, sample?.id as RowId, column("chatGroup"), "https://example.org/group/e2e-new | 2099-02-01 00:00");
    await expect.poll(() => page.locator(`article[id="${sample?.id}"] .qr svg`).count(), { timeout: 5_000 }).toBe(1);

    // Search and tabs work in place.
    await page.locator("form.search input[name=q]").fill("已找到血透");
    await expect.poll(() => page.locator("p.count").textContent()).toBe("共 1 条（搜索「已找到血透」）");
    expect(new URL(page.url()).searchParams.get("q")).toBe("已找到血透");
    await shot(page, "public-live-3-search.png", { screen: true });
    await page.locator("nav a", { hasText: "医院" }).click();
    await expect.poll(() => page.locator("nav a[aria-current=page]").textContent()).toBe("医院");
    expect(new URL(page.url()).searchParams.get("sheet")).toBe("hospitals");
    expect(await sameAsServer(page, page.url())).toEqual({ main: true, nav: true });
    await shot(page, "public-live-4-hospitals.png", { screen: true });
    await page.locator("nav a", { hasText: "首页" }).click();
    await expect.poll(() => page.locator("nav a[aria-current=page]").textContent()).toBe("首页");
    expect(await sameAsServer(page, page.url())).toEqual({ main: true, nav: true });
    await page.goBack();
    await page.goBack();
    await expect.poll(() => page.locator("nav a[aria-current=page]").textContent()).toBe("求助");
    expect(await page.evaluate(() => (window as unknown as { huzhuMarker?: string }).huzhuMarker)).toBe("same page");

    // A request that is closed leaves the public page (求助's default rule).
    await page.locator("form.search input[name=q]").fill("");
    editor.workbook.setCell(REQUESTS, rowId, column("followUp"), "closed");
    await expect.poll(() => page.locator(`article[id="${rowId}"]`).count()).toBe(0);

    // Nothing private, anywhere: not in the page, not in any byte the socket received.
    const html = await page.content();
    for (const value of [...Object.values(PRIVATE), ...Object.values(LATER_PRIVATE)]) {
      expect(html, `the page shows the private value ${value}`).not.toContain(value);
      const bytes = Buffer.from(value);
      expect(
        received.some((frame) => frame.includes(bytes)),
        `the socket received the private value ${value}`,
      ).toBe(false);
    }
    expect(received.length).toBeGreaterThan(0);

    // The viewer published no presence and sent no changes: only sync step 1, an empty step 2,
    // authentication, its keepalive pings (stateless) and its goodbye.
    for (const frame of sent) {
      const { type, syncType, payloadLength } = describeFrame(frame);
      expect([0, 2, 5, 7], `a frame of type ${type}`).toContain(type);
      if (type === 0)
        expect(syncType === 0 || (syncType === 1 && payloadLength === 2), `sync message ${syncType} of ${payloadLength} bytes`).toBe(true);
    }

    // Revoking the public link ends the live page within about a second.
    const { links } = await adminApi<{ links: { id: string; role: string }[] }>(server, created.id, created.links.admin.token, "/links");
    const publicLink = links.find((link) => link.role === "public");
    await adminApi(server, created.id, created.links.admin.token, `/links/${publicLink?.id}/revoke`, {});
    const revoked = Date.now();
    await page.waitForFunction(() => document.querySelector("main")?.textContent?.includes("此公开链接已失效"), undefined, {
      timeout: 5_000,
    });
    expect(Date.now() - revoked).toBeLessThan(1_500);
    expect(await page.locator("article.card").count()).toBe(0);
    await shot(page, "public-live-5-revoked.png", { screen: true });

    expect(problems).toEqual([]);
    await context.close();
  });

  it("after a server restart, comes back with a fresh copy: a request closed meanwhile is gone, an edit made meanwhile shows", async () => {
    const { url } = await adminApi<{ url: string }>(server, created.id, created.links.admin.token, "/links", {
      role: "public",
      label: "公开页面（重启测试）",
    });
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const offered: number[] = [];
    page.on("websocket", (socket) =>
      socket.on("framesent", ({ payload }) => {
        const frame = describeFrame(Buffer.from(payload));
        if (frame.type === 0 && frame.syncType !== 0) offered.push(frame.payloadLength ?? -1);
      }),
    );
    await page.goto(`${reachable(server, url)}?sheet=requests`);
    await expect.poll(() => page.locator("#live-status").textContent()).toContain("实时更新中");
    const open = editor.workbook
      .listRows(REQUESTS)
      .filter((row) => row.cells["verification"] === "verified" && row.cells["followUp"] !== "closed");
    const [leaving, staying] = open;
    if (!leaving || !staying) throw new Error("the sample data has two open, verified requests");
    expect(await page.locator(`article[id="${leaving.id}"]`).count()).toBe(1);

    // The server goes away; the page says so and keeps what it shows.
    const { port, dataDir } = server;
    await server.close();
    await expect.poll(() => page.locator("#live-status").textContent(), { timeout: 5_000 }).toContain("正在重新连接");
    expect(await page.locator(`article[id="${leaving.id}"]`).count()).toBe(1);

    // An editor works on meanwhile (their provider holds the changes until the server is back).
    editor.workbook.setCell(REQUESTS, leaving.id, column("followUp"), "closed");
    editor.workbook.setCell(REQUESTS, staying.id, column("street"), "E2E 重启期间的修改");
    server = await startTestServer({ dataDir, port });
    await editor.acknowledged(40_000);

    await expect.poll(() => page.locator("#live-status").textContent(), { timeout: 40_000 }).toContain("实时更新中");
    await expect.poll(() => cardText(page, staying.id), { timeout: 5_000 }).toContain("E2E 重启期间的修改");
    expect(await page.locator(`article[id="${leaving.id}"]`).count(), "a row that left the public view while the page was away").toBe(0);
    // Deterministically: the page never offered the rebuilt document its old copy (every sync step 2 it sent was empty).
    expect(offered.length).toBeGreaterThanOrEqual(2);
    expect(
      offered.every((length) => length === 2),
      `sync payloads sent: ${offered.join(", ")} bytes`,
    ).toBe(true);
    await shot(page, "public-live-6-after-restart.png", { screen: true });
    await context.close();
  });

  it("stays connected while idle: one socket past the 30 s silence limit, kept by tiny pings, no presence", async () => {
    const { url } = await adminApi<{ url: string }>(server, created.id, created.links.admin.token, "/links", {
      role: "public",
      label: "公开页面（静默测试）",
    });
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    let sockets = 0;
    let closed = 0;
    const sentTypes: number[] = [];
    page.on("websocket", (socket) => {
      sockets += 1;
      socket.on("close", () => (closed += 1));
      socket.on("framesent", ({ payload }) => sentTypes.push(describeFrame(Buffer.from(payload)).type));
    });
    await page.goto(`${reachable(server, url)}?sheet=requests`);
    await expect.poll(() => page.locator("#live-status").textContent()).toContain("实时更新中");
    await new Promise((resolve) => setTimeout(resolve, 34_000));
    expect({ sockets, closed }).toEqual({ sockets: 1, closed: 0 });
    expect(await page.locator("#live-status").textContent()).toContain("实时更新中");
    expect(sentTypes.filter((type) => type === 5).length, "keepalive pings sent").toBeGreaterThanOrEqual(1);
    expect(
      sentTypes.filter((type) => type === 1),
      "presence sent",
    ).toEqual([]);
    await context.close();
  }, 90_000);
});
