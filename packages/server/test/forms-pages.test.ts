import { type SheetId, openWorkbook } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import type { HuzhuServer } from "../src/index.ts";
import { addFormLink, call, sleep, validAnswers } from "./form-helpers.ts";
import { createWorkbookOverHttp, readStoredDocument, useHarness } from "./helpers.ts";

const requests = "requests" as SheetId;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

function encode(fields: Record<string, unknown>): string {
  return new URLSearchParams(Object.entries(fields).map(([key, value]): [string, string] => [key, String(value)])).toString();
}

function ticketOf(page: string): string {
  const match = /name="_ticket" value="([^"]+)"/.exec(page);
  if (!match?.[1]) throw new Error("the page has no ticket");
  return match[1];
}

function storedRows(server: HuzhuServer, workbookId: string) {
  const doc = readStoredDocument(server.dataDir, workbookId);
  if (!doc) throw new Error("nothing stored");
  return openWorkbook(doc).listRows(requests);
}

describe("form and manage pages without JavaScript", () => {
  const { start } = useHarness();

  async function setup() {
    const server = await start({ forms: { minFillMs: 300 } });
    const { body: created } = await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "上海测试", sampleData: true });
    const token = await addFormLink(server, created.id);
    return { server, created, token };
  }

  it("serves the form as a Chinese, phone-sized HTML page with a ticket, a hidden honeypot and the validation script", async () => {
    const { server, token } = await setup();
    const page = await call(server, "GET", `/f/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.text).toContain('<html lang="zh-CN">');
    expect(page.text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page.text).toMatch(/<form class="card" method="post" action="\/f\/[^"]+" data-hz-form>/);
    expect(page.text).toMatch(/<div class="trap" aria-hidden="true"><label>[^<]*<input type="text" name="home-page"[^>]*tabindex="-1"/);
    for (const label of ["紧急程度", "类别", "所在区", "需求描述", "患者姓名", "联系电话", "详细地址"]) expect(page.text).toContain(label);
    expect(page.text).toContain("患者姓名、联系电话、紧急联系人、详细地址只有志愿者能看到");
    expect(page.text).toContain('type="tel" inputmode="tel"');
    ticketOf(page.text);

    const script = /<script src="(\/form-assets\/form-page\.[0-9a-f]{12}\.js)" defer><\/script>/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const asset = await call(server, "GET", script ?? "");
    expect(asset.status).toBe(200);
    expect(asset.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(asset.headers["cache-control"]).toContain("immutable");
    // The schema's own Chinese messages are inside: the page validates with the server's rules.
    expect(asset.text).toContain("5 至 15 位数字的电话号码");
    expect(asset.text.length).toBeLessThan(20_000);
    expect((await call(server, "GET", "/form-assets/form-page.000000000000.js")).status).toBe(404);
  });

  it("says in Chinese when a form link does not work", async () => {
    const { server, created } = await setup();
    const unknown = await call(server, "GET", `/f/${"x".repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(unknown.text).toContain("找不到这个表单");
    const revoked = await addFormLink(server, created.id, { revoked: true });
    expect((await call(server, "GET", `/f/${revoked}`)).text).toContain("这个表单已停止收集求助");
  });

  it("shows refused answers again with the person's text and a Chinese message next to each field", async () => {
    const { server, token, created } = await setup();
    const page = await call(server, "GET", `/f/${token}`);
    await sleep(350);
    const answers = validAnswers({ phone: "12ab", patientName: "", description: "<b>我的描述</b>" });
    const refused = await call(server, "POST", `/f/${token}`, { raw: encode({ _ticket: ticketOf(page.text), ...answers }), headers: FORM });
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/<p class="error" id="err-phone" aria-live="polite">请填写5 至 15 位数字的电话号码<\/p>/);
    expect(refused.text).toMatch(/<p class="error" id="err-patientName" aria-live="polite">请填写「患者姓名」<\/p>/);
    expect(refused.text).toContain("&#60;b&#62;我的描述&#60;/b&#62;</textarea>");
    expect(refused.text).toContain('value="12ab"');
    expect(refused.text).toContain("还有 2 项需要修改：患者姓名、联系电话。");
    // The same ticket stays: it was not used.
    expect(ticketOf(refused.text)).toBe(ticketOf(page.text));
    expect(storedRows(server, created.id).some((row) => row.cells["description"] === "<b>我的描述</b>")).toBe(false);
  });

  it("asks for a second look when sent too fast, keeping the answers, with a fresh ticket", async () => {
    const { server, token } = await setup();
    const page = await call(server, "GET", `/f/${token}`);
    const fast = await call(server, "POST", `/f/${token}`, {
      raw: encode({ _ticket: ticketOf(page.text), ...validAnswers() }),
      headers: FORM,
    });
    expect(fast.status).toBe(400);
    expect(fast.text).toContain("提交得太快了");
    expect(fast.text).toContain("需要降压药，家中已断药两天</textarea>");
    expect(ticketOf(fast.text)).not.toBe(ticketOf(page.text));
  });

  it("stores a posted form, shows the case number and the private manage link, and shows the same again on a repost", async () => {
    const { server, token, created } = await setup();
    const page = await call(server, "GET", `/f/${token}`);
    await sleep(350);
    const body = encode({ _ticket: ticketOf(page.text), "home-page": "", ...validAnswers({ description: "网页提交" }) });
    const done = await call(server, "POST", `/f/${token}`, { raw: body, headers: FORM });
    expect(done.status).toBe(201);
    const caseNumber = /<p class="case" id="case-number">(SH-\d{4})<\/p>/.exec(done.text)?.[1];
    const manageUrl = /<p class="link-box" id="manage-url">([^<]+)<\/p>/.exec(done.text)?.[1];
    expect(caseNumber).toBeDefined();
    expect(manageUrl).toMatch(/\/m\/[A-Za-z0-9_-]{43}$/);
    expect(done.text).toContain("请勿转发");
    expect(storedRows(server, created.id).filter((row) => row.cells["description"] === "网页提交")).toHaveLength(1);

    const again = await call(server, "POST", `/f/${token}`, { raw: body, headers: FORM });
    expect(again.status).toBe(201);
    expect(again.text).toContain(`>${caseNumber}</p>`);
    expect(storedRows(server, created.id).filter((row) => row.cells["description"] === "网页提交")).toHaveLength(1);

    // The manage page: this request only, its statuses, its answers to correct, a withdraw form.
    const path = new URL(manageUrl ?? "").pathname;
    const manage = await call(server, "GET", path);
    expect(manage.status).toBe(200);
    expect(manage.text).toContain(`<p class="case" id="case-number">${caseNumber}</p>`);
    expect(manage.text).toContain('<span class="chip chip-yellow">待核实</span>');
    expect(manage.text).toContain('<span class="chip chip-orange">待跟进</span>');
    expect(manage.text).toContain("网页提交</textarea>");
    expect(manage.text).toContain(`action="${path}/withdraw"`);
    const sampleNames = openWorkbook(readStoredDocument(server.dataDir, created.id)!)
      .listRows(requests)
      .map((row) => String(row.cells["patientName"] ?? ""))
      .filter((name) => name !== "" && name !== "测试者");
    expect(sampleNames.length).toBeGreaterThan(0);
    for (const name of sampleNames) expect(manage.text).not.toContain(name);

    const unconfirmed = await call(server, "POST", `${path}/withdraw`, { raw: "", headers: FORM });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain("请先勾选");
    const withdrawn = await call(server, "POST", `${path}/withdraw`, { raw: "confirm=yes", headers: FORM });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.text).toContain("已撤回这条求助");
    expect(withdrawn.text).toContain('<span class="chip chip-gray">已关闭</span>');
    expect(withdrawn.text).not.toContain("保存修改");
  });
});
