import type { CreatedWorkbook, HuzhuServer } from "@huzhu/server";
import { startTestServer } from "@huzhu/server/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAPTOP, PHONE, launchChromium, reachable, shot, watchProblems } from "./harness.ts";
import { LIVE_TABS, openSheet, openWorkbook, rowIds } from "./grid-page.ts";

// The admin page of a workbook, driven as a coordinator would: make a link for a volunteer (shown
// once, with its QR code), revoke it while the volunteer has the workbook open, mark a column
// private and hide a sheet, watching the public page follow. Editors never get the page.

describe("admin page (Chromium)", () => {
  let server: HuzhuServer;
  let browser: Browser;
  let created: CreatedWorkbook;
  let adminContext: BrowserContext;
  let admin: Page;
  let adminProblems: string[];

  beforeAll(async () => {
    server = await startTestServer();
    created = await server.createWorkbook({ template: "shanghai-medical", title: "上海医疗紧急求助", sampleData: true });
    browser = await launchChromium();
    adminContext = await browser.newContext(LAPTOP);
    admin = await adminContext.newPage();
    adminProblems = watchProblems(admin);
    await admin.goto(reachable(server, created.links.admin.url));
    await admin.locator(LIVE_TABS).waitFor({ timeout: 15_000 });
    await admin.locator("button.hz-admin-button").click();
    await admin.locator(".hz-admin").waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens a section of the admin page. */
  const section = (name: "链接与二维码" | "列设置" | "公开范围") => admin.getByRole("tab", { name }).click();

  it("creates an editor link shown once with its QR code, and revoking it cuts off the open page within a second", async () => {
    await section("链接与二维码");
    const form = admin.locator("form[aria-label=新建链接]");
    await form.getByLabel(/编辑者/).check();
    await form.locator("input[name=label]").fill("核实组 · 小王");
    await form.getByRole("button", { name: "创建链接" }).click();
    const dialog = admin.getByRole("dialog");
    await dialog.locator("img.hz-qr").waitFor();
    const url = await dialog.locator("input.hz-link-url").inputValue();
    expect(url).toMatch(new RegExp(`/w/${created.id}#token=[A-Za-z0-9_-]{43}$`));
    expect(await dialog.textContent()).toContain("请像保管密码一样保管它");
    await shot(admin, "admin-1-new-link.png", { screen: true });
    await dialog.getByRole("button", { name: "我已保存，关闭" }).click();
    expect(await admin.locator("input.hz-link-url").count(), "the token is shown once only").toBe(0);

    const item = admin.locator("li.hz-link-item", { hasText: "核实组 · 小王" });
    await expect.poll(() => item.textContent()).toContain("编辑者");
    expect(await item.textContent()).toMatch(/创建于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} · 不过期有效/);

    // The volunteer opens the link on a phone and sees the workbook.
    const volunteerContext = await browser.newContext(PHONE);
    const volunteer = await volunteerContext.newPage();
    await volunteer.goto(reachable(server, url));
    await volunteer.locator(LIVE_TABS).waitFor({ timeout: 15_000 });
    await expect.poll(() => volunteer.locator(".hz-connection").getAttribute("data-tone")).toBe("online");
    expect(await volunteer.locator("button.hz-admin-button").count(), "an editor gets no 管理 button").toBe(0);

    // Revoked while open: the page loses the workbook within a second and says why, in Chinese.
    await item.getByRole("button", { name: "撤销「核实组 · 小王」" }).click();
    await admin.getByRole("dialog").getByRole("button", { name: "撤销链接" }).click();
    const revoked = Date.now();
    await volunteer.getByText("无法再访问此工作簿").waitFor({ timeout: 5_000 });
    const elapsed = Date.now() - revoked;
    expect(elapsed, `the revoked page noticed after ${elapsed} ms`).toBeLessThan(1_000);
    expect(await volunteer.locator(".hz-status-card").textContent()).toContain("此链接已被撤销");
    expect(await volunteer.locator(".hz-tabs").count(), "the workbook is off the screen").toBe(0);
    await shot(volunteer, "admin-2-revoked-editor-page.png", { screen: true });
    await expect.poll(() => item.locator(".hz-link-status").textContent()).toBe("已撤销");
    await shot(admin, "admin-3-links.png");

    // The link opens nothing any more.
    await volunteer.reload();
    await volunteer.getByText("无法打开工作簿").waitFor();
    await volunteerContext.close();
  });

  it("marks a column private and the public page drops it live; un-marking asks first", async () => {
    const publicContext = await browser.newContext(PHONE);
    const viewer = await publicContext.newPage();
    const viewerProblems = watchProblems(viewer);
    await viewer.goto(`${reachable(server, created.links.public.url)}?sheet=requests`);
    await expect.poll(() => viewer.locator("#live-status").textContent()).toContain("实时更新中");
    const ageLabels = () => viewer.locator("article.card dt", { hasText: "年龄" }).count();
    expect(await ageLabels()).toBeGreaterThan(0);

    await section("列设置");
    const ageRow = admin.locator('[data-sheet-id="requests"] tr[data-column-id="age"]');
    await ageRow.getByRole("switch", { name: "「年龄」私密" }).check();
    const marked = Date.now();
    await viewer.waitForFunction(
      () => ![...document.querySelectorAll("article.card dt")].some((dt) => dt.textContent === "年龄"),
      undefined,
      {
        timeout: 5_000,
      },
    );
    expect(Date.now() - marked).toBeLessThan(1_500);
    const json = (await (await fetch(`${reachable(server, created.links.public.url)}.json`)).json()) as {
      sheets: { id: string; columns: { id: string }[] }[];
    };
    expect(json.sheets.find((s) => s.id === "requests")?.columns.map((c) => c.id)).not.toContain("age");
    await shot(admin, "admin-4-columns.png");
    await shot(viewer, "admin-5-public-without-age.png", { screen: true });

    // Making a column public again is confirmed first (it may hold personal data).
    // (The switch stays on until confirmed.)
    await ageRow.getByRole("switch", { name: "「年龄」私密" }).click();
    const confirm = admin.getByRole("dialog");
    expect(await confirm.textContent()).toContain("公开页面");
    await confirm.getByRole("button", { name: "公开这一列" }).click();
    await expect.poll(ageLabels, { timeout: 5_000 }).toBeGreaterThan(0);

    // In-form and required: required follows in-form.
    const streetRow = admin.locator('[data-sheet-id="requests"] tr[data-column-id="street"]');
    await streetRow.getByRole("switch", { name: "「街道/小区」必填" }).check();
    await streetRow.getByRole("switch", { name: "「街道/小区」表单中询问" }).uncheck();
    expect(await streetRow.getByRole("switch", { name: "「街道/小区」必填" }).isChecked()).toBe(false);
    expect(await streetRow.getByRole("switch", { name: "「街道/小区」必填" }).isDisabled()).toBe(true);
    const form = (await (await fetch(`${server.url}/api/forms/${created.links.form.token}`)).json()) as { fields: { id: string }[] };
    expect(form.fields.map((f) => f.id)).not.toContain("street");

    // Hiding a sheet takes its tab off the public page.
    await section("公开范围");
    const hospitals = admin.locator('[data-public-sheet="hospitals"]');
    await hospitals.getByLabel("不公开").check();
    await expect.poll(() => viewer.locator("nav a", { hasText: "医院" }).count(), { timeout: 5_000 }).toBe(0);

    // Rows by rule: also publishing pending requests shows them, with the count previewed here.
    const requests = admin.locator('[data-public-sheet="requests"]');
    const before = Number(await requests.locator("[data-public-count]").getAttribute("data-public-count"));
    const pendingCards = () => viewer.locator("article.card .chip", { hasText: "待核实" }).count();
    expect(await pendingCards()).toBe(0);
    await requests.locator('[data-rule-column="verification"]').getByLabel("待核实").check();
    await expect.poll(pendingCards, { timeout: 5_000 }).toBeGreaterThan(0);
    await expect
      .poll(async () => Number(await requests.locator("[data-public-count]").getAttribute("data-public-count")))
      .toBeGreaterThan(before);
    await shot(admin, "admin-6-public.png");
    await requests.getByRole("button", { name: "使用推荐规则：已核实且未关闭" }).click();
    await expect.poll(pendingCards, { timeout: 5_000 }).toBe(0);
    await shot(viewer, "admin-7-public-page.png", { screen: true });

    expect(viewerProblems).toEqual([]);
    await publicContext.close();
  });

  it("chooses the column that tints rows; a volunteer's open grid and the public view follow", async () => {
    const volunteerContext = await browser.newContext(LAPTOP);
    const volunteer = await volunteerContext.newPage();
    const volunteerProblems = watchProblems(volunteer);
    await openWorkbook(volunteer, reachable(server, created.links.editor.url));
    await openSheet(volunteer, "requests");
    // SH-0001 is 危急 (red) and 血透 (purple, in the category column).
    const [first] = await rowIds(volunteer);
    const tint = async () =>
      (await volunteer.locator(`.ag-row[row-id="${first}"]`).first().getAttribute("class"))?.match(/hz-tint-\w+/)?.[0];
    expect(await tint()).toBe("hz-tint-red");
    const publicTint = async () => {
      const view = (await (await fetch(`${reachable(server, created.links.public.url)}.json`)).json()) as {
        sheets: { id: string; tintColumn: string | null }[];
      };
      return view.sheets.find((s) => s.id === "requests")?.tintColumn;
    };
    expect(await publicTint()).toBe("urgency");

    await section("列设置");
    const category = admin.locator('[data-sheet-id="requests"] tr[data-column-id="category"]');
    await category.getByRole("switch", { name: "按「类别」给整行着色" }).check();
    await expect.poll(tint, { timeout: 5_000 }).toBe("hz-tint-purple");
    const urgency = admin.locator('[data-sheet-id="requests"] tr[data-column-id="urgency"]');
    expect(await urgency.getByRole("switch", { name: "按「紧急程度」给整行着色" }).isChecked()).toBe(false);
    // Only select and status columns can tint.
    const description = admin.locator('[data-sheet-id="requests"] tr[data-column-id="description"]');
    expect(await description.getByRole("switch", { name: "「需求描述」私密" }).count()).toBe(1);
    expect(await description.getByRole("switch", { name: /着色/ }).count()).toBe(0);
    await expect.poll(publicTint, { timeout: 5_000 }).toBe("category");
    await shot(volunteer, "admin-8-tinted-by-category.png");

    await category.getByRole("switch", { name: "按「类别」给整行着色" }).uncheck();
    await expect.poll(tint, { timeout: 5_000 }).toBeUndefined();
    await expect.poll(publicTint, { timeout: 5_000 }).toBeNull();
    await urgency.getByRole("switch", { name: "按「紧急程度」给整行着色" }).check();
    await expect.poll(tint, { timeout: 5_000 }).toBe("hz-tint-red");
    expect(volunteerProblems).toEqual([]);
    await volunteerContext.close();
  });

  it("fits a phone, and an editor's link never opens it", async () => {
    const phone = await adminContext.browser()?.newContext(PHONE);
    const page = await phone?.newPage();
    if (!phone || !page) throw new Error("no phone context");
    await page.goto(reachable(server, created.links.admin.url));
    await page.locator(LIVE_TABS).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, "admin-8-phone-editor.png", { screen: true });
    await page.locator("button.hz-admin-button").click();
    await page.locator(".hz-admin").waitFor();
    expect(page.url()).toContain("view=admin");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, "admin-9-phone.png", { screen: true });
    // Reloads keep the admin page open; 返回表格 closes it and takes it out of the address.
    for (const _ of [1, 2]) {
      await page.reload();
      await page.locator(".hz-admin").waitFor({ timeout: 15_000 });
      await expect.poll(() => page.url()).toContain("view=admin");
    }
    await page.getByRole("button", { name: "← 返回表格" }).click();
    expect(await page.locator(".hz-admin").count()).toBe(0);
    expect(page.url()).not.toContain("view=admin");
    await phone.close();

    const editorContext = await browser.newContext(LAPTOP);
    const editor = await editorContext.newPage();
    await editor.goto(`${reachable(server, created.links.editor.url)}&view=admin`);
    await editor.locator(LIVE_TABS).waitFor({ timeout: 15_000 });
    expect(await editor.locator(".hz-admin").count()).toBe(0);
    expect(await editor.locator("button.hz-admin-button").count()).toBe(0);
    await editorContext.close();

    expect(adminProblems).toEqual([]);
  });
});
