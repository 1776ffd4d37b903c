import { join } from "node:path";
import type { HuzhuServer } from "@huzhu/server";
import { startTestServer } from "@huzhu/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OUTPUT, PHONE, launchChromium } from "./harness.ts";

// The request form on a phone, as a person in need would use it: fill in, get told about a
// mistake as they type, fix it, submit, keep the case number and the private link, come back
// with the link and withdraw. Screenshots go to test-output/ to be looked at.

describe("request form on a phone (Chromium)", () => {
  let server: HuzhuServer;
  let browser: Browser;
  let formUrl: string;

  beforeAll(async () => {
    server = await startTestServer({ forms: { minFillMs: 1_000 } });
    const created = await server.createWorkbook({ template: "shanghai-medical", title: "上海医疗紧急求助" });
    formUrl = created.links.form.url;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The whole page, or with `screen` only what the phone shows. */
  async function shot(page: Page, name: string, { screen = false } = {}): Promise<void> {
    await page.screenshot({ path: join(OUTPUT, name), fullPage: !screen });
  }

  it("fill, see an inline error, fix it, submit, keep the case number, open the manage link, withdraw", async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    const origin = new URL(server.url).origin;
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
    });
    page.on("request", (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith("data:")) problems.push(`outside request: ${request.url()}`);
    });

    await page.goto(formUrl.replace(server.publicUrl, server.url));
    const opened = Date.now();
    await expect.poll(() => page.title()).toContain("求助");
    await shot(page, "form-1-empty.png", { screen: true });

    // Big touch targets: every radio choice and the submit button are at least 48 px high.
    for (const box of await page
      .locator(".choice, button[type=submit]")
      .evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().height))) {
      expect(box).toBeGreaterThanOrEqual(48);
    }
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.getByText("紧急", { exact: true }).click();
    await page.getByText("配药", { exact: true }).click();
    await page.locator("#in-district").selectOption({ label: "徐汇区" });
    await page.locator("#in-description").fill("母亲高血压，降压药已断两天，社区医院停诊");
    await page.locator("#in-patientName").fill("王阿姨");
    await page.locator("#in-age").fill("74");
    await page.locator("#in-phone").fill("138-12ab");
    await page.locator("#in-address").focus();

    // The schema's own rule, in Chinese, as soon as the person leaves the field.
    const phoneError = page.locator("#err-phone");
    await expect.poll(() => phoneError.isVisible()).toBe(true);
    expect(await phoneError.textContent()).toBe("请填写5 至 15 位数字的电话号码");
    expect(await page.locator("#in-phone").getAttribute("aria-invalid")).toBe("true");
    await page.locator("[data-field=phone]").evaluate((element) => element.scrollIntoView({ block: "center" }));
    await shot(page, "form-2-inline-error.png", { screen: true });

    // Fixing it clears the message while typing.
    await page.locator("#in-phone").fill("138 1234 5678");
    await expect.poll(() => phoneError.isVisible()).toBe(false);
    await page.locator("#in-address").fill("徐汇区某路 100 弄 5 号");

    // Leaving a required field empty is caught on submit too, with the first problem focused.
    await page.locator("#in-patientName").fill("");
    await page.locator("button[type=submit]").click();
    await expect.poll(() => page.locator("#hz-summary").textContent()).toContain("还有 1 项需要修改");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("in-patientName");
    expect(await page.locator("#err-patientName").textContent()).toBe("请填写「患者姓名」");
    await page.locator("#in-patientName").fill("王阿姨");
    await expect.poll(() => page.locator("#err-patientName").isVisible()).toBe(false);

    // The server refuses a form sent sooner than a person can fill it (1 s in this test).
    await page.waitForTimeout(Math.max(0, 1_100 - (Date.now() - opened)));
    await Promise.all([page.waitForURL(/\/f\//), page.waitForLoadState("load"), page.locator("button[type=submit]").click()]);
    const caseNumber = page.locator("#case-number");
    await expect.poll(() => caseNumber.textContent(), { timeout: 10_000 }).toMatch(/^SH-\d{4}$/);
    const number = (await caseNumber.textContent()) ?? "";
    expect(await page.locator(".banner-warn").textContent()).toContain("请勿转发");
    const manageUrl = ((await page.locator("#manage-url").textContent()) ?? "").trim();
    expect(manageUrl).toMatch(/\/m\/[A-Za-z0-9_-]{43}$/);
    await shot(page, "form-3-success.png");

    await page.goto(manageUrl.replace(server.publicUrl, server.url));
    expect(await page.locator("#case-number").textContent()).toBe(number);
    expect(await page.locator("#verification").textContent()).toBe("待核实");
    expect(await page.locator("#follow-up").textContent()).toBe("待跟进");
    expect(await page.locator("#in-phone").inputValue()).toBe("13812345678");
    await shot(page, "form-4-manage.png");

    // Withdrawing needs the confirmation box ticked.
    await page.locator("#withdraw input[name=confirm]").check();
    await Promise.all([page.waitForURL(/\/withdraw$/), page.locator("#withdraw button[type=submit]").click()]);
    await expect.poll(() => page.locator(".banner-ok").textContent()).toContain("已撤回这条求助");
    expect(await page.locator("#follow-up").textContent()).toBe("已关闭");
    expect(await page.locator("#withdraw").count()).toBe(0);
    await shot(page, "form-5-withdrawn.png");

    expect(problems).toEqual([]);
    await context.close();
  });

  it("works without JavaScript: the server's messages, then the case number", async () => {
    const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(formUrl.replace(server.publicUrl, server.url));
    await page.getByText("危急", { exact: true }).click();
    await page.getByText("急症", { exact: true }).click();
    await page.locator("#in-district").selectOption({ label: "浦东新区" });
    await page.locator("#in-description").fill("呼吸困难，需要急诊");
    await page.locator("#in-patientName").fill("李先生");
    await page.locator("#in-phone").fill("12");
    await page.waitForTimeout(1_100);
    await Promise.all([page.waitForLoadState("load"), page.locator("button[type=submit]").click()]);
    await expect.poll(() => page.locator("#err-phone").textContent()).toBe("请填写5 至 15 位数字的电话号码");
    expect(await page.locator("#in-description").inputValue()).toBe("呼吸困难，需要急诊");
    await shot(page, "form-6-no-script-error.png");
    await page.locator("#in-phone").fill("13900001111");
    await Promise.all([page.waitForLoadState("load"), page.locator("button[type=submit]").click()]);
    await expect.poll(() => page.locator("#case-number").textContent()).toMatch(/^SH-\d{4}$/);
    await context.close();
  });
});
