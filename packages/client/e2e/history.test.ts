import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HuzhuServer } from "@huzhu/server";
import { startTestServer } from "@huzhu/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OUTPUT, launchChromium, shot, watchProblems } from "./harness.ts";

// The history features as a volunteer uses them in Chromium against a real server: a row's
// history after an edit, a named version and restoring a row from it, importing a CSV with one
// bad row, exporting XLSX, and an admin purging a row now. Needs the built client
// (`pnpm --filter @huzhu/client build`, which `pnpm test` runs first). Screenshots go to
// test-output/ to be looked at.

const DESKTOP = { viewport: { width: 1440, height: 900 }, locale: "zh-CN", acceptDownloads: true };
const EDITOR_LABEL = "核实组 · 小王";
/** Waits for a value the page reaches asynchronously (server round trips on a slow machine). */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });

describe("row history, versions, import, export and purge (Chromium)", () => {
  let server: HuzhuServer;
  let browser: Browser;
  let workbookId: string;
  let editorToken: string;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    const created = await server.createWorkbook({ template: "shanghai-medical", title: "上海医疗紧急求助", sampleData: true });
    workbookId = created.id;
    adminToken = created.links.admin.token;
    // A link with a volunteer's label, as a coordinator would hand out: the history names it.
    const issued = await fetch(`${server.url}/api/workbooks/${workbookId}/links`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ role: "editor", label: EDITOR_LABEL }),
    });
    expect(issued.status).toBe(201);
    editorToken = ((await issued.json()) as { token: string }).token;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens the workbook with a token; collects page errors and failed requests. */
  async function open(token: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext(DESKTOP);
    const page = await context.newPage();
    const problems = watchProblems(page);
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/w/${workbookId}#token=${token}&sheet=requests`);
    // The live grid's rows, not the read-only preview shown before it.
    await page.locator(".hz-app:not([data-preview]) .ag-row[row-id]").first().waitFor();
    return { page, problems };
  }

  const cell = (page: Page, rowId: string, columnId: string) => page.locator(`.ag-row[row-id="${rowId}"] .ag-cell[col-id="${columnId}"]`);

  const rowCount = async (page: Page) => Number(await page.locator(".hz-row-count").getAttribute("data-shown"));

  /** The id of the row shown at `index` (sheet order). */
  async function rowIdAt(page: Page, index: number): Promise<string> {
    const id = await page.locator(`.ag-row[row-index="${index}"]`).first().getAttribute("row-id");
    if (!id) throw new Error(`no row at index ${index}`);
    return id;
  }

  /** Types into a cell through its editor and waits until the server has acknowledged it. */
  async function editCell(page: Page, rowId: string, columnId: string, text: string): Promise<void> {
    await cell(page, rowId, columnId).dblclick();
    const input = page.locator(".hz-editor-input, .hz-editor-textarea");
    await input.waitFor();
    await input.fill(text);
    await page.keyboard.press("Enter");
    await poll(() => cell(page, rowId, columnId).textContent()).toBe(text);
    await page.locator('.hz-connection[data-tone="online"]').waitFor();
  }

  it("edit a cell, open the row's history: the link's label and old → new", async () => {
    const { page, problems } = await open(editorToken);
    const rowId = await rowIdAt(page, 0);
    const before = (await cell(page, rowId, "street").textContent()) ?? "";
    expect(before).not.toBe("");
    await editCell(page, rowId, "street", "花木街道 12 弄（已核实地址）");

    await cell(page, rowId, "street").click({ button: "right" });
    const menu = page.locator(".hz-row-menu");
    await menu.waitFor();
    await shot(page, "history-1-row-menu.png");
    await menu.locator('[data-action="history"]').click();

    const panel = page.locator(`.hz-history-panel[data-row-id="${rowId}"]`);
    const newest = panel.locator(".hz-history-item").first();
    await poll(() => newest.locator(".hz-history-what").textContent()).toBe("街道/小区");
    expect(await newest.locator(".hz-history-who").textContent()).toBe(EDITOR_LABEL);
    expect(await newest.locator(".hz-history-before").textContent()).toBe(before);
    expect(await newest.locator(".hz-history-after").textContent()).toBe("花木街道 12 弄（已核实地址）");
    expect(await newest.locator(".hz-history-when").textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    // The panel follows the row live: someone else's edit appears at the top without reopening it.
    const colleague = await open(editorToken);
    await editCell(colleague.page, rowId, "age", "68");
    await colleague.page.context().close();
    await poll(() => newest.locator(".hz-history-what").textContent()).toBe("年龄");
    expect(await newest.locator(".hz-history-before").textContent()).toBe("67");
    expect(await newest.locator(".hz-history-after").textContent()).toBe("68");
    await shot(page, "history-2-panel.png");

    // Ctrl+Alt+H closes and opens it for the focused row.
    await page.keyboard.press("Control+Alt+KeyH");
    await poll(() => panel.count()).toBe(0);
    await cell(page, rowId, "district").click();
    await page.keyboard.press("Control+Alt+KeyH");
    await panel.waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("save a named version, change a cell, restore the row from the version", async () => {
    const { page, problems } = await open(editorToken);
    const rowId = await rowIdAt(page, 1);
    const original = (await cell(page, rowId, "description").textContent()) ?? "";
    const other = await rowIdAt(page, 2);

    await page.getByRole("button", { name: "版本", exact: true }).click();
    const dialog = page.locator(".hz-modal");
    await dialog.locator('input[aria-label="版本名称"]').fill("核实前");
    await dialog.getByRole("button", { name: "保存版本" }).click();
    const named = dialog.locator("tr.is-named").filter({ hasText: "核实前" });
    await named.waitFor();
    expect(await named.textContent()).toContain(EDITOR_LABEL);
    await shot(page, "history-3-versions.png");
    await dialog.getByRole("button", { name: "关闭", exact: true }).click();

    await editCell(page, rowId, "description", "误改：这段描述被覆盖了");
    await editCell(page, other, "street", "另一行的修改（恢复后应保留）");

    await cell(page, rowId, "description").click({ button: "right" });
    await page.locator('.hz-row-menu [data-action="restore"]').click();
    await dialog.locator("tr.is-named").filter({ hasText: "核实前" }).getByRole("button", { name: "查看" }).click();
    await dialog.locator(".hz-readonly-badge", { hasText: "历史版本 · 只读" }).waitFor();
    // The row we came from is selected in the read-only copy, which shows the old text.
    const pastRow = dialog.locator(`.hz-version-grid .ag-row[row-id="${rowId}"]`).first();
    await poll(() => pastRow.getAttribute("class")).toContain("ag-row-selected");
    expect(await dialog.locator(`.hz-version-grid .ag-row[row-id="${rowId}"] .ag-cell[col-id="description"]`).textContent()).toBe(original);
    // Nothing in the copy can be edited.
    await dialog.locator(`.hz-version-grid .ag-row[row-id="${rowId}"] .ag-cell[col-id="street"]`).dblclick();
    expect(await dialog.locator(".hz-editor-input").count()).toBe(0);
    await shot(page, "history-4-version-view.png");

    await dialog.getByRole("button", { name: "恢复此行" }).click();
    await dialog.locator(".hz-version-confirm").waitFor();
    await shot(page, "history-5-restore-confirm.png");
    await dialog.getByRole("button", { name: "确认恢复" }).click();
    await poll(() => cell(page, rowId, "description").textContent()).toBe(original);
    await poll(() => page.locator(".hz-toast").first().textContent()).toContain("已恢复");
    // Only that row went back: the other row keeps its later edit.
    expect(await cell(page, other, "street").textContent()).toBe("另一行的修改（恢复后应保留）");

    await page.keyboard.press("Control+Alt+KeyH");
    const newest = page.locator(`.hz-history-panel[data-row-id="${rowId}"] .hz-history-item`).first();
    await poll(() => newest.locator(".hz-history-via").textContent()).toBe("从版本恢复");
    expect(await newest.locator(".hz-history-after").textContent()).toBe(original);
    await shot(page, "history-6-after-restore.png");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("restore the whole workbook from a version; the state before it is kept as a version", async () => {
    const { page, problems } = await open(editorToken);
    const first = await rowIdAt(page, 0);
    const second = await rowIdAt(page, 4);
    const before = [(await cell(page, first, "street").textContent()) ?? "", (await cell(page, second, "street").textContent()) ?? ""];
    const dialog = page.locator(".hz-modal");
    await page.getByRole("button", { name: "版本", exact: true }).click();
    await dialog.locator('input[aria-label="版本名称"]').fill("整体恢复点");
    await dialog.getByRole("button", { name: "保存版本" }).click();
    await dialog.locator("tr.is-named").filter({ hasText: "整体恢复点" }).waitFor();
    await dialog.getByRole("button", { name: "关闭", exact: true }).click();

    await editCell(page, first, "street", "整体恢复测试一");
    await editCell(page, second, "street", "整体恢复测试二");

    await page.getByRole("button", { name: "版本", exact: true }).click();
    await dialog.locator("tr.is-named").filter({ hasText: "整体恢复点" }).getByRole("button", { name: "查看" }).click();
    await dialog.getByRole("button", { name: "恢复整个工作簿" }).click();
    expect(await dialog.locator(".hz-version-confirm").textContent()).toContain("把整个工作簿恢复到这个版本");
    await dialog.getByRole("button", { name: "确认恢复" }).click();
    await poll(() => cell(page, first, "street").textContent()).toBe(before[0]);
    await poll(() => cell(page, second, "street").textContent()).toBe(before[1]);

    await page.getByRole("button", { name: "版本", exact: true }).click();
    await dialog.locator(".hz-version-kind.is-before-restore").first().waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("import a CSV with one bad row: see its error, confirm, see the good rows appear", async () => {
    const { page, problems } = await open(editorToken);
    const rowsBefore = await rowCount(page);
    const csv = [
      "紧急程度,类别,所在区,需求描述,患者姓名,联系电话,备注说明",
      "紧急,配药,徐汇区,降压药只剩一天（导入测试甲）,王某某,100 0000 0101,社区转来",
      "超级急,配药,静安区,这一行的紧急程度不对,赵某某,100 0000 0102,",
      "危急,血透,浦东新区,透析中断两天（导入测试乙）,钱某某,100 0000 0103,",
    ].join("\r\n");
    const path = join(OUTPUT, "import-sample.csv");
    writeFileSync(path, `${csv}\r\n`);

    await page.getByRole("button", { name: "导入", exact: true }).click();
    const dialog = page.locator(".hz-modal");
    await dialog.locator('input[type="file"]').setInputFiles(path);
    const summary = dialog.locator(".hz-import-summary");
    await summary.waitFor();
    expect(await summary.getAttribute("data-valid-rows")).toBe("2");
    expect(await summary.textContent()).toContain("将添加 2 行");
    const error = dialog.locator('.hz-issues.is-error tr[data-row="3"]');
    expect(await error.textContent()).toContain("以下之一");
    expect(await error.textContent()).toContain("超级急");
    // The unknown file column is offered as 不导入, the known ones are matched by label.
    expect(await dialog.locator('tr[data-file-column="6"] select').inputValue()).toBe("");
    expect(await dialog.locator('tr[data-file-column="4"] select').inputValue()).toBe("patientName");
    // Nothing changed yet.
    expect(await rowCount(page)).toBe(rowsBefore);
    await shot(page, "history-7-import-preview.png");

    // Choosing a sheet column for the extra file column plans again on the server.
    await dialog.locator('tr[data-file-column="6"] select').selectOption("notes");
    await poll(() => dialog.locator(".hz-import-summary ul").textContent()).not.toContain("备注说明");
    expect(await dialog.locator(".hz-import-summary").getAttribute("data-valid-rows")).toBe("2");

    await dialog.getByRole("button", { name: "确认导入 2 行" }).click();
    await dialog.locator("[data-imported]").waitFor();
    expect(await dialog.locator("[data-imported]").textContent()).toBe("2");
    await shot(page, "history-8-import-done.png");
    await dialog.getByRole("button", { name: "完成" }).click();
    await poll(() => rowCount(page)).toBe(rowsBefore + 2);
    await poll(() => page.locator(".ag-cell[col-id='description']", { hasText: "导入测试甲" }).count()).toBe(1);
    expect(await page.locator(".ag-cell[col-id='description']", { hasText: "这一行的紧急程度不对" }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("a large file shows upload progress, then a spinner while the server reads it", async () => {
    const { page, problems } = await open(editorToken);
    const lines = ["紧急程度,类别,所在区,需求描述"];
    for (let i = 1; i <= 6000; i++)
      lines.push(`一般,配药,黄浦区,第 ${i} 条批量导入的求助：需要常用药品，社区医院暂时无法供应，请志愿者协助联系药房配送`);
    const path = join(OUTPUT, "import-large.csv");
    writeFileSync(path, lines.join("\r\n"));
    // A slow uplink (as on a phone in a crowded area), so the upload takes a few seconds.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 256 * 1024,
    });

    await page.getByRole("button", { name: "导入", exact: true }).click();
    const dialog = page.locator(".hz-modal");
    await dialog.locator('input[type="file"]').setInputFiles(path);
    const bar = dialog.getByRole("progressbar", { name: "上传进度" });
    await poll(async () => Number((await bar.getAttribute("aria-valuenow")) ?? 0)).toBeGreaterThan(0);
    expect(Number(await bar.getAttribute("aria-valuenow"))).toBeLessThan(100);
    expect(await dialog.locator(".hz-upload-progress").textContent()).toMatch(/正在上传 \d+%（.+ \/ 889.9 KB）/);
    await shot(page, "history-12-import-uploading.png");
    await poll(() => dialog.locator(".hz-import-summary").getAttribute("data-valid-rows")).toBe("6000");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await dialog.getByRole("button", { name: "取消", exact: true }).click();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("export the workbook as XLSX downloads a file named after it", async () => {
    const { page, problems } = await open(editorToken);
    await page.getByRole("button", { name: /导出/ }).click();
    await page.locator(".hz-menu").waitFor();
    await shot(page, "history-9-export-menu.png");
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator('[data-export="workbook-xlsx"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^上海医疗紧急求助-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const saved = join(OUTPUT, "history-export.xlsx");
    await download.saveAs(saved);
    const bytes = readFileSync(saved);
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(bytes.byteLength).toBeGreaterThan(1000);

    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      (async () => {
        await page.getByRole("button", { name: /导出/ }).click();
        await page.locator('[data-export="sheet-csv"]').click();
      })(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("an admin purges a row's personal data now, after typing 清除", async () => {
    const { page, problems } = await open(adminToken);
    const rowId = await rowIdAt(page, 3);
    const phone = (await cell(page, rowId, "phone").textContent()) ?? "";
    expect(phone).not.toBe("");

    await cell(page, rowId, "phone").click({ button: "right" });
    await page.locator('.hz-row-menu [data-action="purge"]').click();
    const dialog = page.locator(".hz-modal");
    const confirm = dialog.getByRole("button", { name: "永久清除" });
    expect(await dialog.textContent()).toContain("此操作无法撤销");
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.locator("input").fill("清除");
    await shot(page, "history-10-purge-confirm.png");
    await confirm.click();
    await poll(() => cell(page, rowId, "phone").textContent()).toBe("");

    await cell(page, rowId, "street").click();
    await page.keyboard.press("Control+Alt+KeyH");
    const panel = page.locator(`.hz-history-panel[data-row-id="${rowId}"]`);
    const phoneLine = panel.locator(".hz-history-item", { has: page.locator(".hz-history-what", { hasText: "联系电话" }) }).first();
    await poll(() => phoneLine.locator(".hz-history-after").textContent()).toBe("「已清除」");
    expect(await panel.textContent()).not.toContain(phone);
    await shot(page, "history-11-after-purge.png");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("editors do not see the purge action", async () => {
    const { page } = await open(editorToken);
    const rowId = await rowIdAt(page, 0);
    await cell(page, rowId, "street").click({ button: "right" });
    await page.locator(".hz-row-menu").waitFor();
    expect(await page.locator('.hz-row-menu [data-action="purge"]').count()).toBe(0);
    await page.context().close();
  });
});
