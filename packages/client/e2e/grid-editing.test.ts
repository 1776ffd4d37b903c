import type { HuzhuServer } from "@huzhu/server";
import { startTestServer } from "@huzhu/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cell, clickCell, editCell, openSheet, openWorkbook, rowIds } from "./grid-page.ts";
import { LAPTOP, launchChromium, reachable, shot, watchProblems } from "./harness.ts";

// Working in the grid like in a spreadsheet: every column type's editor, refusals in Chinese,
// keyboard, clipboard (one transaction, one undo step), rows added, trashed and moved, sort,
// filter and search, live counts on 首页 and the chat-group QR code. One fresh workbook per test.

describe("editing the volunteers' grid (Chromium)", () => {
  let server: HuzhuServer;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    const created = await server.createWorkbook({ template: "shanghai-medical", title: "上海医疗紧急求助", sampleData: true });
    const context = await browser.newContext({ ...LAPTOP, permissions: ["clipboard-read", "clipboard-write"] });
    page = await context.newPage();
    problems = watchProblems(page);
    await openWorkbook(page, reachable(server, created.links.editor.url));
    return async () => {
      expect(problems).toEqual([]);
      await context.close();
    };
  });

  const text = (rowId: string, columnId: string) => cell(page, rowId, columnId).textContent();

  it("refuses an invalid value with a Chinese message and keeps the old value", async () => {
    await openSheet(page, "requests");
    const [first] = await rowIds(page);
    const before = await text(first as string, "age");
    await editCell(page, first as string, "age", "七十");
    await page.locator(".hz-toast.is-error", { hasText: "「年龄」不接受" }).waitFor();
    expect(await text(first as string, "age")).toBe(before);
    await shot(page, "grid-refused-value.png", { screen: true });
  });

  it("edits by typing, clears with Delete and Backspace, undoes and redoes", async () => {
    await openSheet(page, "requests");
    const [first] = await rowIds(page);
    const row = first as string;
    await clickCell(page, row, "age");
    await page.keyboard.press("4");
    await page.keyboard.type("2");
    await page.keyboard.press("Enter");
    await cell(page, row, "age").filter({ hasText: "42" }).waitFor();

    await clickCell(page, row, "street");
    await page.keyboard.press("Delete");
    await clickCell(page, row, "patientName");
    await page.keyboard.press("Backspace");
    // Cells re-render a few milliseconds after a key commits: poll rather than read once.
    await expect.poll(async () => [await text(row, "street"), await text(row, "patientName")]).toEqual(["", ""]);

    await page.keyboard.press("Control+z");
    await expect.poll(() => text(row, "patientName")).not.toBe("");
    await page.keyboard.press("Control+z");
    await expect.poll(() => text(row, "street")).not.toBe("");
    await page.keyboard.press("Control+Shift+z");
    await expect.poll(() => text(row, "street")).toBe("");
    await page.keyboard.press("Control+y");
    await expect.poll(() => text(row, "patientName")).toBe("");
  });

  it("edits selects, long text, date-times and chat-group links in their own editors", async () => {
    await openSheet(page, "requests");
    const [first] = await rowIds(page);
    const row = first as string;

    await clickCell(page, row, "category");
    await page.keyboard.press("Enter");
    await page.locator(".ag-list-item", { hasText: "血透" }).first().waitFor();
    await shot(page, "grid-editor-select.png", { screen: true });
    await page.locator(".ag-list-item", { hasText: "孕产" }).first().click();
    await cell(page, row, "category").locator(".hz-chip", { hasText: "孕产" }).waitFor();

    await clickCell(page, row, "description");
    await page.keyboard.press("Enter");
    const textarea = page.locator(".hz-longtext-editor textarea");
    await textarea.fill("第一行");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.insertText("第二行");
    await shot(page, "grid-editor-longtext.png", { screen: true });
    await page.keyboard.press("Enter");
    await page.locator(".hz-longtext-editor").waitFor({ state: "detached" });
    await expect.poll(() => text(row, "description")).toBe("第一行 ⏎ 第二行");

    // Arrow keys walk to a column off screen; the grid scrolls with the cursor.
    const focusedColumn = () => page.evaluate(() => document.querySelector(".ag-cell-focus")?.getAttribute("col-id"));
    await clickCell(page, row, "urgency");
    for (let i = 0; i < 30 && (await focusedColumn()) !== "verifiedAt"; i++) await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    const picker = page.locator(".hz-datetime-editor input[type=datetime-local]");
    await picker.fill("2022-04-12T09:30");
    await shot(page, "grid-editor-datetime.png", { screen: true });
    await page.keyboard.press("Enter");
    await cell(page, row, "verifiedAt").filter({ hasText: "2022-04-12 09:30" }).waitFor();

    await openSheet(page, "channels");
    const [channel] = await rowIds(page);
    await clickCell(page, channel as string, "chatGroup");
    await page.keyboard.press("Enter");
    await page.locator(".hz-chat-editor input[type=url]").fill("https://example.org/group/new");
    await page.locator(".hz-chat-editor button", { hasText: "7 天后到期" }).click();
    await shot(page, "grid-editor-chatgroup.png", { screen: true });
    await page.locator(".hz-chat-editor button", { hasText: "确定" }).click();
    await cell(page, channel as string, "chatGroup")
      .locator(".hz-badge:not(.hz-badge-expired)")
      .waitFor();
    await cell(page, channel as string, "chatGroup")
      .locator(".hz-qr-button")
      .click();
    await page.locator(".hz-chat-modal img.hz-qr").waitFor();
    const href = await page.locator(".hz-chat-modal a").getAttribute("href");
    expect(href).toBe("https://example.org/group/new");
    expect(await page.locator(".hz-chat-modal a").getAttribute("rel")).toBe("noopener noreferrer");
    await shot(page, "grid-qr-modal.png", { screen: true });
  });

  it("copies cells and rows as TSV and pastes a block in one undo step", async () => {
    await openSheet(page, "requests");
    const ids = await rowIds(page);
    await clickCell(page, ids[0] as string, "urgency");
    await page.keyboard.press("Control+c");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("危急");

    const [before1, before2] = [await text(ids[1] as string, "urgency"), await text(ids[2] as string, "category")];
    await page.evaluate(() => navigator.clipboard.writeText("一般\t其他\n较急\t孕产\n"));
    await clickCell(page, ids[1] as string, "urgency");
    await page.keyboard.press("Control+v");
    await cell(page, ids[2] as string, "urgency")
      .locator(".hz-chip", { hasText: "较急" })
      .waitFor();
    // Each row's cells re-render on their own (a few ms apart): poll rather than read once.
    await expect
      .poll(async () => [await text(ids[1] as string, "urgency"), await text(ids[1] as string, "category")])
      .toEqual(["一般", "其他"]);
    // One Ctrl+Z takes the whole paste back: both rows, both columns.
    await page.keyboard.press("Control+z");
    await expect
      .poll(async () => [await text(ids[1] as string, "urgency"), await text(ids[2] as string, "category")])
      .toEqual([before1, before2]);

    await page.evaluate(() => navigator.clipboard.writeText("紧急\t不存在的类别"));
    await page.keyboard.press("Control+v");
    await page.locator(".hz-toast.is-error", { hasText: "没有写入任何内容" }).waitFor();

    // Rows ticked in the gutter copy whole, every visible column, as a spreadsheet expects.
    for (const id of ids.slice(0, 2)) {
      await clickCell(page, id, "caseNumber");
      const box = await page.locator(`.ag-row[row-id="${id}"] .hz-row-select`).evaluate((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      });
      await page.mouse.click(box.x, box.y);
    }
    await clickCell(page, ids[0] as string, "street");
    await page.keyboard.press("Control+c");
    const lines = (await page.evaluate(() => navigator.clipboard.readText())).split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]?.split("\t").slice(0, 3)).toEqual(["SH-0001", "2022-04-10 08:12", "危急"]);
  });

  it("toggles a checkbox with Space and with a click", async () => {
    await openSheet(page, "hospitals");
    const [, second] = await rowIds(page);
    const box = () =>
      cell(page, second as string, "dialysis")
        .locator("input")
        .isChecked();
    const before = await box();
    await clickCell(page, second as string, "dialysis", { edge: true });
    await page.keyboard.press(" ");
    await page.waitForFunction(
      ([id, was]) =>
        (document.querySelector(`.ag-row[row-id="${id}"] .ag-cell[col-id=dialysis] input`) as HTMLInputElement).checked !== was,
      [second, before] as const,
    );
    await clickCell(page, second as string, "dialysis");
    expect(await box()).toBe(before);
    await shot(page, "grid-hospitals.png", { screen: true });
  });

  it("adds a row (the server numbers it), trashes rows after confirming, restores from the trash", async () => {
    await openSheet(page, "requests");
    const before = await rowIds(page);
    await clickCell(page, before[0] as string, "street");
    await page.locator(".hz-tool", { hasText: "添加行" }).click();
    await page.waitForFunction((n) => document.querySelectorAll(".ag-row[row-id]").length > n, before.length);
    const after = await rowIds(page);
    const added = after.find((id) => !before.includes(id)) as string;
    expect(after.indexOf(added)).toBe(1);
    await cell(page, added, "caseNumber")
      .filter({ hasText: /SH-\d{4}/ })
      .waitFor({ timeout: 5_000 });

    await clickCell(page, before[2] as string, "street");
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction((n) => document.querySelectorAll(".ag-row[row-id]").length > n, after.length);

    await clickCell(page, added, "street");
    await page.locator(".hz-tool", { hasText: "删除行" }).click();
    await page.locator(".hz-modal", { hasText: "移到回收站" }).waitFor();
    await shot(page, "grid-delete-confirm.png", { screen: true });
    await page.locator(".hz-modal .hz-button.is-danger").click();
    await page.locator(`.ag-row[row-id="${added}"]`).waitFor({ state: "detached" });

    await page.locator(".hz-tool", { hasText: "回收站" }).click();
    await page.locator(".hz-trash-list li").first().waitFor();
    await shot(page, "grid-trash.png", { screen: true });
    await page.locator(".hz-trash-list .hz-button", { hasText: "恢复" }).first().click();
    await page.keyboard.press("Escape");
    await page.locator(`.ag-row[row-id="${added}"]`).first().waitFor({ state: "attached" });
  });

  it("moves a row by its drag handle", async () => {
    await openSheet(page, "requests");
    const before = await rowIds(page);
    const handle = await page
      .locator(`.ag-row[row-id="${before[0]}"] .ag-row-drag`)
      .first()
      .evaluate((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      });
    const target = await cell(page, before[3] as string, "caseNumber").evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x + 20, y: r.y + r.height * 0.75 };
    });
    await page.mouse.move(handle.x, handle.y);
    await page.mouse.down();
    await page.mouse.move(handle.x, handle.y + 10, { steps: 3 });
    await page.mouse.move(target.x, target.y, { steps: 10 });
    await page.mouse.up();
    await page.waitForFunction((id) => document.querySelector(`.ag-row[row-id="${id}"]`)?.getAttribute("row-index") === "3", before[0]);
    expect(await rowIds(page)).toEqual([before[1], before[2], before[3], before[0], ...before.slice(4)]);
  });

  it("sorts, filters and searches", async () => {
    await openSheet(page, "requests");
    await page.locator(".hz-search input").fill("血透");
    await page.waitForFunction(() => document.querySelector(".hz-row-count")?.textContent?.startsWith("显示"));
    const matches = await rowIds(page);
    expect(matches.length).toBeGreaterThan(0);
    for (const id of matches) expect(await page.locator(`.ag-row[row-id="${id}"]`).first().textContent()).toContain("血透");
    await shot(page, "grid-search.png", { screen: true });
    await page.locator(".hz-search input").fill("");

    await page.locator(".ag-header-cell[col-id=urgency] .ag-header-cell-label").click();
    const urgencies = async () => Promise.all((await rowIds(page)).map((id) => text(id, "urgency")));
    await page.waitForFunction(() => document.querySelector(".ag-header-cell[col-id=urgency]")?.getAttribute("aria-sort") === "ascending");
    const sorted = await urgencies();
    const rank = ["危急", "紧急", "较急", "一般", ""];
    expect(sorted).toEqual([...sorted].sort((a, b) => rank.indexOf(a ?? "") - rank.indexOf(b ?? "")));

    await page.locator(".ag-header-cell[col-id=district]").hover();
    await page.locator(".ag-header-cell[col-id=district] .ag-header-cell-filter-button").click();
    await page.locator(".ag-filter input[type=text], .ag-filter-body input").first().fill("浦东");
    await page.waitForFunction(() => document.querySelector(".hz-row-count")?.textContent?.startsWith("显示"));
    await shot(page, "grid-filter.png", { screen: true });
    for (const id of await rowIds(page)) expect(await text(id, "district")).toBe("浦东新区");
  });

  it("updates the counts on 首页 live", async () => {
    const counter = (option: string) =>
      page.locator(`.hz-counts-card[data-counts-sheet=requests] [data-column-id=urgency] li[data-option=${option}]`);
    const critical = Number(await counter("critical").getAttribute("data-count"));
    await openSheet(page, "requests");
    const ids = await rowIds(page);
    let target = "";
    for (const id of ids) if ((await text(id, "urgency")) === "一般") target = id;
    await clickCell(page, target, "urgency");
    await page.evaluate(() => navigator.clipboard.writeText("危急"));
    await page.keyboard.press("Control+v");
    await page.locator(".hz-tab[data-sheet-id=notice]").click();
    await page.waitForFunction(
      (n) =>
        document.querySelector(".hz-counts-card [data-column-id=urgency] li[data-option=critical]")?.getAttribute("data-count") ===
        String(n),
      critical + 1,
    );
    await shot(page, "grid-notice-counts.png", { screen: true });
  });
});
