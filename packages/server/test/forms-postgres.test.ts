import { type SheetId, openWorkbook } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { call, sleep, submit, validAnswers } from "./form-helpers.ts";
import { createWorkbookOverHttp, useHarness } from "./helpers.ts";
import { missingServices, readPostgresDocument, useTestSchema } from "./services.ts";

const requests = "requests" as SheetId;
const skip = await missingServices(["postgres"]);

describe.skipIf(skip)("request form with DATABASE_URL (PostgreSQL)", () => {
  const schema = useTestSchema();
  const { start } = useHarness();

  it("stores a submission in PostgreSQL before the reply, once per ticket, and its manage link works after a restart", async () => {
    const first = await start({ databaseUrl: schema.url, forms: { minFillMs: 150 } });
    const { body: created } = await createWorkbookOverHttp(first);
    const token = created.links.form.token;
    const form = await call(first, "GET", `/api/forms/${token}`);
    await sleep(200);
    const body = { ticket: form.json.ticket, answers: validAnswers({ description: "存在 PostgreSQL 里" }) };
    const answers = await Promise.all([1, 2, 3].map(() => call(first, "POST", `/api/forms/${token}`, { body })));
    for (const answer of answers) expect(answer.json).toEqual(answers[0]?.json);
    const { caseNumber, manageUrl } = answers[0]?.json ?? {};
    expect(caseNumber).toMatch(/^SH-\d{4}$/);

    const stored = await readPostgresDocument(schema.pool, created.id);
    const rows = stored
      ? openWorkbook(stored)
          .listRows(requests)
          .filter((row) => row.cells["description"] === "存在 PostgreSQL 里")
      : [];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.cells).toMatchObject({ caseNumber, verification: "pending", followUp: "todo" });

    // Another instance on the same database and DATA_DIR (the form secret) serves the manage link.
    await first.close();
    const second = await start({ databaseUrl: schema.url, dataDir: first.dataDir });
    const manage = `/api/manage/${String(manageUrl).split("/m/")[1]}`;
    expect((await call(second, "GET", manage)).json).toMatchObject({ caseNumber, editable: true });
    expect((await call(second, "POST", `${manage}/withdraw`)).json).toMatchObject({ withdrawn: true, followUp: { label: "已关闭" } });
    const retry = await call(second, "POST", `/api/forms/${token}`, { body });
    // Same case number and manage token; the address is the second instance's.
    expect(retry.json.caseNumber).toBe(caseNumber);
    expect(String(retry.json.manageUrl).split("/m/")[1]).toBe(String(manageUrl).split("/m/")[1]);
    expect((await submit(second, token, validAnswers(), { waitMs: 3_100 })).status).toBe(201);
  });
});
