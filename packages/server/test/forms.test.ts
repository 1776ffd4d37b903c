import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RowId, type SheetId, openWorkbook } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import type { HuzhuServer } from "../src/index.ts";
import { SqliteDocStore } from "../src/storage/sqlite-store.ts";
import { addFormLink, call, sleep, submit, validAnswers } from "./form-helpers.ts";
import { createWorkbookOverHttp, readStoredDocument, useHarness, waitFor } from "./helpers.ts";

const requests = "requests" as SheetId;
const FAST = { forms: { minFillMs: 150 } };

function storedRows(server: HuzhuServer, workbookId: string) {
  const doc = readStoredDocument(server.dataDir, workbookId);
  if (!doc) throw new Error("nothing stored");
  return openWorkbook(doc).listRows(requests, { includeDeleted: true });
}

describe("request form API", () => {
  const { start, peer } = useHarness();

  async function setup(options: Parameters<typeof start>[0] = FAST) {
    const server = await start(options);
    const { body: created } = await createWorkbookOverHttp(server);
    const token = await addFormLink(server, created.id);
    return { server, created, token };
  }

  it("describes the form: in-form questions with options, timing, honeypot and a ticket", async () => {
    const { server, token } = await setup();
    const answer = await call(server, "GET", `/api/forms/${token}`);
    expect(answer.status).toBe(200);
    expect(answer.headers["cache-control"]).toBe("no-store");
    const form = answer.json;
    expect(form).toMatchObject({ title: "测试", sheetName: "求助", minFillMs: 150, honeypotField: "home-page" });
    expect(form.fields.map((f: { id: string }) => f.id)).toEqual([
      "urgency",
      "category",
      "district",
      "street",
      "description",
      "patientName",
      "age",
      "phone",
      "emergencyContact",
      "address",
    ]);
    expect(form.fields[0]).toMatchObject({ label: "紧急程度", type: "select", required: true, description: "" });
    expect(form.fields[0].options[0]).toEqual({ id: "critical", label: "危急", color: "red" });
    expect(form.privateFieldIds).toEqual(["patientName", "phone", "emergencyContact", "address"]);
    expect(form.ticket).toMatch(/^v1\./);
  });

  it("stores a submission as a 待核实 / 待跟进 row with its case number, on disk before the reply", async () => {
    const { server, created, token } = await setup();
    const rowsBefore = storedRows(server, created.id).length;

    const answer = await submit(server, token, validAnswers(), { waitMs: 200 });
    expect(answer.status).toBe(201);
    expect(answer.json.caseNumber).toMatch(/^SH-\d{4}$/);
    expect(answer.json.manageUrl).toMatch(new RegExp(`^${server.publicUrl}/m/[A-Za-z0-9_-]{43}$`));

    // Read straight from the database file, as another process would: the row is there already.
    const rows = storedRows(server, created.id);
    expect(rows).toHaveLength(rowsBefore + 1);
    const row = rows.find((r) => r.cells["caseNumber"] === answer.json.caseNumber);
    expect(row?.cells).toMatchObject({
      verification: "pending",
      followUp: "todo",
      urgency: "urgent",
      phone: "13800138000",
      age: 72,
      duplicateOf: "",
    });
    expect(row?.cells["submittedAt"]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("shows a new request to an editor with an open provider within one second", async () => {
    const { server, created, token } = await setup();
    const editor = await peer(server, created);
    const form = await call(server, "GET", `/api/forms/${token}`);
    await sleep(200);
    const answer = await call(server, "POST", `/api/forms/${token}`, { body: { ticket: form.json.ticket, answers: validAnswers() } });
    expect(answer.status).toBe(201);
    const replied = Date.now();
    const seen = () => editor.workbook.listRows(requests).find((row) => row.cells["caseNumber"] === answer.json.caseNumber);
    await waitFor(() => seen() !== undefined, "the editor to see the new request", 1_000);
    expect(Date.now() - replied).toBeLessThan(1_000);
    expect(seen()?.cells["verification"]).toBe("pending");
  });

  it("refuses unknown fields, missing required answers and malformed values, listing every problem in Chinese", async () => {
    const { server, created, token } = await setup();
    const before = storedRows(server, created.id).length;

    const answer = await submit(server, token, validAnswers({ phone: "12ab", patientName: "", nope: "x" }), { waitMs: 200 });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: "invalid_answers" });
    const byField = Object.fromEntries(answer.json.error.errors.map((e: { field: string }) => [e.field, e]));
    expect(byField["nope"]).toMatchObject({ code: "unknown_field", messageZh: "表单中没有这一项" });
    expect(byField["patientName"]).toMatchObject({ code: "required", messageZh: "请填写「患者姓名」" });
    expect(byField["phone"]).toMatchObject({ code: "invalid", messageZh: "请填写5 至 15 位数字的电话号码" });

    // Fields outside `answers` are refused as well.
    const form = await call(server, "GET", `/api/forms/${token}`);
    const extra = await call(server, "POST", `/api/forms/${token}`, {
      body: { ticket: form.json.ticket, answers: validAnswers(), verification: "verified" },
    });
    expect(extra.status).toBe(400);
    expect(extra.json.error.code).toBe("invalid_body");

    // Server-written columns are not questions of the form either.
    const sneaky = await submit(server, token, validAnswers({ verification: "verified", caseNumber: "SH-9999" }), { waitMs: 200 });
    expect(sneaky.status).toBe(400);
    expect(sneaky.json.error.errors.map((e: { field: string }) => e.field).sort()).toEqual(["caseNumber", "verification"]);
    expect(storedRows(server, created.id)).toHaveLength(before);
  });

  it("answers 404 for unknown, revoked and expired form links and for links of other roles", async () => {
    const { server, created } = await setup();
    const revoked = await addFormLink(server, created.id, { revoked: true });
    const expired = await addFormLink(server, created.id, { expiresAt: new Date(Date.now() - 1_000).toISOString() });
    const cases: [string, string][] = [
      ["x".repeat(43), "not_found"],
      [created.links.editor.token, "not_found"],
      [revoked, "link_revoked"],
      [expired, "link_expired"],
    ];
    for (const [token, code] of cases) {
      for (const method of ["GET", "POST"] as const) {
        const answer = await call(server, method, `/api/forms/${token}`, method === "POST" ? { body: { ticket: "", answers: {} } } : {});
        expect(answer.status, `${method} ${code}`).toBe(404);
        expect(answer.json.error.code).toBe(code);
        expect(answer.json.error.messageZh).toBeTruthy();
      }
    }
  });

  it("refuses bodies over 32 KiB with 413 and other media types with 415", async () => {
    const { server, token } = await setup();
    const big = await call(server, "POST", `/api/forms/${token}`, {
      body: { ticket: "t", answers: validAnswers({ description: "长".repeat(12_000) }) },
    });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe("payload_too_large");
    const text = await call(server, "POST", `/api/forms/${token}`, { raw: "a=b", headers: { "content-type": "text/plain" } });
    expect(text.status).toBe(415);
  });

  it("refuses forged tickets, tickets of another form, tickets sent too soon and tickets too old", async () => {
    const { server, created, token } = await setup({ forms: { minFillMs: 1_500, ticketMaxAgeMs: 2_500 } });
    const other = await addFormLink(server, created.id);
    const form = await call(server, "GET", `/api/forms/${token}`);
    const ticket: string = form.json.ticket;
    const post = (t: unknown, to = token) => call(server, "POST", `/api/forms/${to}`, { body: { ticket: t, answers: validAnswers() } });

    const soon = await post(ticket);
    expect(soon.status).toBe(400);
    expect(soon.json.error.code).toBe("too_fast");
    expect(Number(soon.headers["retry-after"])).toBeGreaterThanOrEqual(1);

    await sleep(1_600);
    const forged = `${ticket.slice(0, -3)}${ticket.endsWith("AAA") ? "BBB" : "AAA"}`;
    expect((await post(forged)).json.error.code).toBe("invalid_ticket");
    const younger = ticket.replace(
      /^v1\.([^.]+)\.([^.]+)\./,
      (_, id, issued) => `v1.${id}.${(Number.parseInt(issued, 36) - 60_000).toString(36)}.`,
    );
    expect((await post(younger)).json.error.code).toBe("invalid_ticket");
    expect((await post(ticket, other)).json.error.code).toBe("invalid_ticket");
    expect((await post("not a ticket")).json.error.code).toBe("invalid_ticket");

    await sleep(1_000);
    const old = await post(ticket);
    expect(old.status).toBe(400);
    expect(old.json.error.code).toBe("ticket_expired");
    expect(storedRows(server, created.id).filter((row) => row.cells["description"] === validAnswers()["description"])).toHaveLength(0);
  });

  it("answers a retry of a stored submission whatever its ticket's age, e.g. after the ticket expired", async () => {
    const { server, token } = await setup({ forms: { minFillMs: 150, ticketMaxAgeMs: 700 } });
    const form = await call(server, "GET", `/api/forms/${token}`);
    await sleep(200);
    const body = { ticket: form.json.ticket, answers: validAnswers({ description: "回复丢了" }) };
    const first = await call(server, "POST", `/api/forms/${token}`, { body });
    expect(first.status).toBe(201);
    await sleep(700);
    const retry = await call(server, "POST", `/api/forms/${token}`, { body });
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    const other = await call(server, "POST", `/api/forms/${token}`, { body: { ...body, answers: validAnswers({ description: "新的" }) } });
    expect(other.json.error.code).toBe("ticket_used");
  });

  it("refuses a filled honeypot without storing anything", async () => {
    const { server, created, token } = await setup();
    const before = storedRows(server, created.id).length;
    const form = await call(server, "GET", `/api/forms/${token}`);
    await sleep(200);
    const answer = await call(server, "POST", `/api/forms/${token}`, {
      body: { ticket: form.json.ticket, answers: validAnswers(), "home-page": "http://spam.example" },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: "submission_refused", messageZh: "提交未成功，请刷新页面后重新填写" });
    expect(storedRows(server, created.id)).toHaveLength(before);
  });

  it("stores a submission once however often the same ticket is sent, and refuses the ticket for other answers", async () => {
    const { server, created, token } = await setup();
    const before = storedRows(server, created.id).length;
    const form = await call(server, "GET", `/api/forms/${token}`);
    await sleep(200);
    const body = { ticket: form.json.ticket, answers: validAnswers({ description: "只应出现一次" }) };

    // A double tap: five copies at once, then a retry after the fact.
    const answers = await Promise.all(Array.from({ length: 5 }, () => call(server, "POST", `/api/forms/${token}`, { body })));
    const retry = await call(server, "POST", `/api/forms/${token}`, { body });
    for (const answer of [...answers, retry]) {
      expect(answer.status).toBe(201);
      expect(answer.json).toEqual(answers[0]?.json);
    }
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    const rows = storedRows(server, created.id);
    expect(rows).toHaveLength(before + 1);
    expect(rows.filter((row) => row.cells["description"] === "只应出现一次")).toHaveLength(1);

    const other = await call(server, "POST", `/api/forms/${token}`, {
      body: { ...body, answers: validAnswers({ description: "换了内容" }) },
    });
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe("ticket_used");
    expect(storedRows(server, created.id)).toHaveLength(before + 1);
  });

  it("counts a double tap as one submission against the rate limit", async () => {
    const { server, token } = await setup({
      forms: { minFillMs: 150, limits: { submissionsPerAddress: { capacity: 2, refillPerMinute: 0 } } },
    });
    const form = await call(server, "GET", `/api/forms/${token}`);
    await sleep(200);
    const body = { ticket: form.json.ticket, answers: validAnswers({ description: "连点五下" }) };
    const taps = await Promise.all(Array.from({ length: 5 }, () => call(server, "POST", `/api/forms/${token}`, { body })));
    expect(taps.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect((await submit(server, token, validAnswers({ description: "第二份" }), { waitMs: 200 })).status).toBe(201);
    expect((await submit(server, token, validAnswers({ description: "第三份" }), { waitMs: 200 })).status).toBe(429);
  });

  it("flags a submission whose phone matches an open request, stores it anyway, and ignores closed ones", async () => {
    const { server, created, token } = await setup();
    const editor = await peer(server, created);
    const first = await submit(server, token, validAnswers({ phone: "13912345678", description: "第一次" }), { waitMs: 200 });
    const second = await submit(server, token, validAnswers({ phone: "+86 139 1234 5678", description: "第二次" }), { waitMs: 200 });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    const row = (caseNumber: string) => storedRows(server, created.id).find((r) => r.cells["caseNumber"] === caseNumber);
    expect(row(first.json.caseNumber)?.cells["duplicateOf"]).toBe("");
    expect(row(second.json.caseNumber)?.cells["duplicateOf"]).toBe(first.json.caseNumber);

    // Once the first is resolved, only the second still counts as open.
    await waitFor(
      () => editor.workbook.listRows(requests).some((r) => r.cells["caseNumber"] === second.json.caseNumber),
      "the editor's copy",
    );
    const firstRow = editor.workbook.listRows(requests).find((r) => r.cells["caseNumber"] === first.json.caseNumber);
    editor.workbook.setCell(requests, firstRow?.id as RowId, "followUp" as never, "resolved");
    await editor.acknowledged();
    const third = await submit(server, token, validAnswers({ phone: "0086 13912345678", description: "第三次" }), { waitMs: 200 });
    expect(third.status).toBe(201);
    expect(row(third.json.caseNumber)?.cells["duplicateOf"]).toBe(second.json.caseNumber);
    // Another number is no duplicate.
    const fourth = await submit(server, token, validAnswers({ phone: "13700000000", description: "别人" }), { waitMs: 200 });
    expect(row(fourth.json.caseNumber)?.cells["duplicateOf"]).toBe("");
  });

  it("takes the client address from X-Forwarded-For only when the socket's peer is a trusted proxy", async () => {
    const limits = { submissionsPerAddress: { capacity: 1, refillPerMinute: 0 } };
    const direct = await setup({ forms: { minFillMs: 150, limits } });
    const spoof = (n: number) => ({ "x-forwarded-for": `203.0.113.${n}` });
    const a = await call(direct.server, "GET", `/api/forms/${direct.token}`);
    const b = await call(direct.server, "GET", `/api/forms/${direct.token}`);
    await sleep(200);
    const post = (server: HuzhuServer, token: string, ticket: string, n: number) =>
      call(server, "POST", `/api/forms/${token}`, {
        body: { ticket, answers: validAnswers({ description: `代理 ${n}` }) },
        headers: spoof(n),
      });
    expect((await post(direct.server, direct.token, a.json.ticket, 1)).status).toBe(201);
    // Without a trusted proxy the header is the client's own claim: same socket address, same bucket.
    const refused = await post(direct.server, direct.token, b.json.ticket, 2);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);

    const proxied = await setup({ forms: { minFillMs: 150, limits, trustedProxies: ["127.0.0.1"] } });
    const c = await call(proxied.server, "GET", `/api/forms/${proxied.token}`);
    const d = await call(proxied.server, "GET", `/api/forms/${proxied.token}`);
    await sleep(200);
    expect((await post(proxied.server, proxied.token, c.json.ticket, 1)).status).toBe(201);
    expect((await post(proxied.server, proxied.token, d.json.ticket, 2)).status).toBe(201);
  });

  it("never reports a submission it could not store; the same ticket succeeds once storage is back, with one row", async () => {
    class FlakyStore extends SqliteDocStore {
      failing = false;
      override appendUpdate(docName: string, update: Uint8Array): Promise<number> {
        if (this.failing) return Promise.reject(new Error("disk I/O error"));
        return super.appendUpdate(docName, update);
      }
      override compactDocument(...args: Parameters<SqliteDocStore["compactDocument"]>): ReturnType<SqliteDocStore["compactDocument"]> {
        if (this.failing) return Promise.reject(new Error("disk I/O error"));
        return super.compactDocument(...args);
      }
    }
    const dataDir = mkdtempSync(join(tmpdir(), "huzhu-form-flaky-"));
    const store = new FlakyStore(dataDir);
    const { server, created, token } = await setup({ dataDir, store, forms: { minFillMs: 150 } });
    const before = storedRows(server, created.id).length;
    const form = await call(server, "GET", `/api/forms/${token}`);
    await sleep(200);
    const body = { ticket: form.json.ticket, answers: validAnswers({ description: "磁盘故障时提交" }) };

    store.failing = true;
    const failed = await call(server, "POST", `/api/forms/${token}`, { body });
    expect(failed.status).toBe(503);
    expect(failed.json.error.code).toBe("storage_failed");
    expect(storedRows(server, created.id)).toHaveLength(before);

    store.failing = false;
    const retried = await call(server, "POST", `/api/forms/${token}`, { body });
    expect(retried.status).toBe(201);
    const rows = storedRows(server, created.id).filter((row) => row.cells["description"] === "磁盘故障时提交");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.cells["caseNumber"]).toBe(retried.json.caseNumber);
  });
});
