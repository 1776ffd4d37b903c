import type { ColumnId, RowId, SheetId } from "@huzhu/schema";
import type { CreatedWorkbook, HuzhuServer } from "@huzhu/server";
import { startTestServer } from "@huzhu/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIVE_TABS, cell, clickCell, connectionTone, editCell } from "./grid-page.ts";
import { type EditorPeer, LAPTOP, connectEditor, launchChromium, reachable, shot, watchProblems } from "./harness.ts";

// A large workbook takes seconds to arrive and apply in the page; the server's preview of the
// open tab is on screen first, read-only, and the live grid takes over where the reader was.

const requests = "requests" as SheetId;
const ROWS = 400;
const PREVIEW = ".hz-app[data-preview]";

describe("the editor page's preview while the workbook syncs (Chromium)", () => {
  let server: HuzhuServer;
  let browser: Browser;
  let created: CreatedWorkbook;
  let colleague: EditorPeer;
  let lastRowId: RowId;
  /** A row near the end, in view once the grid is scrolled there. */
  let nearEndRowId: RowId;

  beforeAll(async () => {
    server = await startTestServer();
    created = await server.createWorkbook({ template: "shanghai-medical", title: "预览测试" });
    colleague = await connectEditor(server, created.id, created.links.editor.token);
    const ids = colleague.workbook.insertRows(
      requests,
      Array.from({ length: ROWS }, (_, i) => ({ description: `求助 ${i + 1}`, phone: `1351111${String(i).padStart(4, "0")}` })),
    );
    lastRowId = ids.at(-1) as RowId;
    nearEndRowId = ids.at(-10) as RowId;
    await colleague.acknowledged(15_000);
    browser = await launchChromium();
  });

  afterAll(async () => {
    colleague?.destroy();
    await browser?.close();
    await server?.close();
  });

  /** Opens the requests tab with the WebSocket held back until `release` (its session is withheld). */
  async function openHeld(url: string): Promise<{ page: Page; problems: string[]; release: () => void }> {
    const page = await (await browser.newContext(LAPTOP)).newPage();
    const problems = watchProblems(page);
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/api/workbooks/*/session", async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(url);
    return { page, problems, release };
  }

  it("shows the tab's rows read-only before the live grid, then the live grid where the reader was", async () => {
    const { page, problems, release } = await openHeld(`${reachable(server, created.links.editor.url)}&sheet=requests`);
    try {
      await page.locator(`${PREVIEW} .hz-grid[data-sheet=requests] .ag-row[row-id]`).first().waitFor({ timeout: 15_000 });
      await expect(page.locator(`${PREVIEW} .hz-banner`).textContent()).resolves.toContain("正在同步最新数据");
      expect(await page.locator(".hz-tab").count()).toBeGreaterThan(3);
      const first = await page.locator(`${PREVIEW} .ag-row[row-index="0"]`).first().getAttribute("row-id");
      expect((await cell(page, first as string, "phone").textContent())?.replaceAll(" ", "")).toContain("13511110000");
      await shot(page, "preview-grid.png", { screen: true });

      // Read-only: a double click opens no editor, and nothing is sent (the socket is not even open).
      await clickCell(page, first as string, "description", { double: true });
      await page.keyboard.type("不会保存");
      expect(await page.locator(".ag-cell-inline-editing, .ag-popup-editor").count()).toBe(0);

      // The reader searches the preview, as in the live grid, then clears it.
      const searchBox = page.locator(`${PREVIEW} input[type=search]`);
      await searchBox.fill("13511110399");
      await expect.poll(() => page.locator(`${PREVIEW} .hz-row-count`).textContent()).toBe(`显示 1 / 共 ${ROWS} 行`);
      await searchBox.fill("");
      // The grid filters after the input: scrolling before every row is back would stop short.
      await expect.poll(() => page.locator(`${PREVIEW} .hz-row-count`).textContent()).toBe(`共 ${ROWS} 行`);

      // The reader scrolls to the end of the preview.
      const viewport = page.locator(`${PREVIEW} .ag-body-vertical-scroll-viewport`);
      await viewport.evaluate((element) => {
        element.scrollTop = element.scrollHeight;
      });
      await cell(page, lastRowId, "description").waitFor();
      await page.waitForTimeout(300);

      release();
      await page.locator(LIVE_TABS).waitFor({ timeout: 30_000 });
      expect(await page.locator(PREVIEW).count()).toBe(0);
      // The live grid opens on the same tab, at the rows the reader was looking at.
      await page.locator(`.hz-grid[data-sheet=requests] .ag-row[row-id="${lastRowId}"]`).first().waitFor({ timeout: 10_000 });
      await expect.poll(() => connectionTone(page), { timeout: 10_000 }).toBe("online");
      expect(await cell(page, first as string, "description").count(), "the first row is scrolled out of view").toBe(0);

      // Now it edits, and the edit reaches a colleague.
      await editCell(page, nearEndRowId, "patientName", "实时编辑");
      await expect
        .poll(() => colleague.workbook.findRow(requests, nearEndRowId)?.cells["patientName" as ColumnId], { timeout: 5_000 })
        .toBe("实时编辑");
      expect(colleague.workbook.findRow(requests, first as RowId)?.cells["description" as ColumnId]).toBe("求助 1");
      await shot(page, "preview-then-live.png", { screen: true });
      expect(problems).toEqual([]);
    } finally {
      release();
      await page.context().close();
    }
  });

  it("carries the preview's search into the live grid", async () => {
    const { page, problems, release } = await openHeld(`${reachable(server, created.links.editor.url)}&sheet=requests`);
    try {
      await page.locator(`${PREVIEW} .ag-row[row-id]`).first().waitFor({ timeout: 15_000 });
      await page.locator(`${PREVIEW} input[type=search]`).fill("求助 400");
      await expect.poll(() => page.locator(`${PREVIEW} .hz-row-count`).getAttribute("data-shown")).toBe("1");
      release();
      await page.locator(LIVE_TABS).waitFor({ timeout: 30_000 });
      await expect(page.locator(".hz-sheet-view input[type=search]").inputValue()).resolves.toBe("求助 400");
      await expect.poll(() => page.locator(".hz-row-count").getAttribute("data-shown"), { timeout: 10_000 }).toBe("1");
      await cell(page, lastRowId, "description").waitFor();
      expect(problems).toEqual([]);
    } finally {
      release();
      await page.context().close();
    }
  });

  it("opens on the 首页 preview with its figures, and shows no preview for a forged link", async () => {
    const { page, problems, release } = await openHeld(reachable(server, created.links.editor.url));
    try {
      await page.locator(`${PREVIEW} .hz-notice`).waitFor({ timeout: 15_000 });
      const total = page.locator(`${PREVIEW} [data-counts-sheet=requests] .hz-counts-total`);
      expect(await total.getAttribute("data-total")).toBe(String(ROWS));
      // Another tab while syncing: said plainly, and opened once the workbook is live.
      await page.locator(`${PREVIEW} .hz-tab[data-sheet-id=hospitals]`).click();
      await expect(page.locator(`${PREVIEW} .hz-empty`).textContent()).resolves.toContain("正在同步");
      release();
      await page.locator(`${LIVE_TABS} .hz-tab[data-sheet-id=hospitals][aria-selected=true]`).waitFor({ timeout: 30_000 });
      expect(problems).toEqual([]);
    } finally {
      release();
      await page.context().close();
    }

    const forged = reachable(server, created.links.editor.url).replace(/token=[^&]+/, "token=not-a-real-token");
    const page2 = await (await browser.newContext(LAPTOP)).newPage();
    const problems2 = watchProblems(page2, { allowStatus: [401] });
    try {
      await page2.goto(forged);
      await page2.getByText("此链接无效").first().waitFor({ timeout: 15_000 });
      expect(await page2.locator(".ag-row, .hz-notice, [data-preview]").count()).toBe(0);
      expect(problems2).toEqual([]);
    } finally {
      await page2.context().close();
    }
  });
});
