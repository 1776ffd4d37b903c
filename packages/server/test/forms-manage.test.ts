import { type SheetId, openWorkbook } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import type { HuzhuServer } from "../src/index.ts";
import { SqliteFormStore } from "../src/storage/sqlite-form-store.ts";
import { SqliteDocStore } from "../src/storage/sqlite-store.ts";
import { addFormLink, call, submit, validAnswers } from "./form-helpers.ts";
import { createWorkbookOverHttp, readStoredDocument, useHarness, waitFor } from "./helpers.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const requests = "requests" as SheetId;

function storedRow(server: HuzhuServer, workbookId: string, caseNumber: string) {
  const doc = readStoredDocument(server.dataDir, workbookId);
  if (!doc) throw new Error("nothing stored");
  return openWorkbook(doc)
    .listRows(requests, { includeDeleted: true })
    .find((row) => row.cells["caseNumber"] === caseNumber);
}

describe("manage link", () => {
  const { start, peer } = useHarness();

  async function submitted(answers = validAnswers()) {
    const server = await start({ forms: { minFillMs: 150 } });
    const { body: created } = await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "测试", sampleData: true });
    const token = await addFormLink(server, created.id);
    const reply = await submit(server, token, answers, { waitMs: 200 });
    expect(reply.status).toBe(201);
    const manageToken = String(reply.json.manageUrl).split("/m/")[1] ?? "";
    return { server, created, token, caseNumber: reply.json.caseNumber as string, manageToken };
  }

  it("shows the requester that one request: case number, statuses and its in-form answers only", async () => {
    const { server, manageToken, caseNumber } = await submitted();
    const answer = await call(server, "GET", `/api/manage/${manageToken}`);
    expect(answer.status).toBe(200);
    expect(answer.headers["cache-control"]).toBe("no-store");
    const view = answer.json;
    expect(view).toMatchObject({
      caseNumber,
      title: "测试",
      sheetName: "求助",
      verification: { id: "pending", label: "待核实", color: "yellow" },
      followUp: { id: "todo", label: "待跟进", color: "orange" },
      withdrawn: false,
      removed: false,
      editable: true,
    });
    expect(view.submittedAt).toMatch(/^\d{4}-/);
    expect(Object.keys(view.answers).sort()).toEqual(view.fields.map((f: { id: string }) => f.id).sort());
    expect(view.answers).toMatchObject({ phone: "13800138000", age: 72, urgency: "urgent" });
    // Nothing of volunteers' columns or of other requests (the sample rows) is in the answer.
    for (const hidden of ["notes", "verifier", "followUpOwner", "duplicateOf", "李", "张"])
      expect(answer.text).not.toContain(`"${hidden}"`);
    expect(Object.keys(view).sort()).toEqual(
      [
        "answers",
        "caseNumber",
        "closed",
        "editable",
        "fields",
        "followUp",
        "removed",
        "sheetName",
        "submittedAt",
        "title",
        "verification",
        "withdrawn",
      ].sort(),
    );
  });

  it("updates only what changed, validates like the form, and leaves editors a note", async () => {
    const { server, created, manageToken, caseNumber } = await submitted();
    const editor = await peer(server, created);
    const find = () => editor.workbook.listRows(requests).find((row) => row.cells["caseNumber"] === caseNumber);
    await waitFor(() => find() !== undefined, "the editor's copy of the request");
    const seen = (await call(server, "GET", `/api/manage/${manageToken}`)).json.answers;
    // An editor corrects the street meanwhile; the requester's update must not undo it.
    editor.workbook.setCell(requests, find()!.id, "street" as never, "田林街道（已核实）");
    await editor.acknowledged();

    const bad = await call(server, "POST", `/api/manage/${manageToken}`, { body: { answers: validAnswers({ phone: "abc" }) } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.errors[0]).toMatchObject({ field: "phone", messageZh: "请填写5 至 15 位数字的电话号码" });
    const unknown = await call(server, "POST", `/api/manage/${manageToken}`, {
      body: { answers: validAnswers({ verification: "verified" }) },
    });
    expect(unknown.status).toBe(400);

    const answer = await call(server, "POST", `/api/manage/${manageToken}`, {
      body: { answers: validAnswers({ description: "药已经买到一半，还缺胰岛素" }), base: seen },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.answers.description).toBe("药已经买到一半，还缺胰岛素");
    const row = storedRow(server, created.id, caseNumber);
    expect(row?.cells["description"]).toBe("药已经买到一半，还缺胰岛素");
    expect(row?.cells["street"]).toBe("田林街道（已核实）");
    expect(String(row?.cells["notes"])).toMatch(/申请人更新了：需求描述$/);
    await waitFor(() => find()?.cells["description"] === "药已经买到一半，还缺胰岛素", "the editor to see the update");
  });

  it("withdraws: follow-up 已关闭 and a note for editors, the row kept; then no more changes", async () => {
    const { server, created, manageToken, caseNumber } = await submitted();
    const answer = await call(server, "POST", `/api/manage/${manageToken}/withdraw`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ withdrawn: true, editable: false, followUp: { label: "已关闭" } });
    const row = storedRow(server, created.id, caseNumber);
    expect(row?.deletedAt).toBeNull();
    expect(row?.cells["followUp"]).toBe("closed");
    expect(String(row?.cells["notes"])).toContain("申请人已撤回");
    expect(row?.closedAt).toMatch(/^\d{4}-/);

    const again = await call(server, "POST", `/api/manage/${manageToken}/withdraw`);
    expect(again.status).toBe(200);
    expect(String(storedRow(server, created.id, caseNumber)?.cells["notes"]).match(/申请人已撤回/g)).toHaveLength(1);
    const update = await call(server, "POST", `/api/manage/${manageToken}`, { body: { answers: validAnswers() } });
    expect(update.status).toBe(409);
    expect(update.json.error).toMatchObject({ code: "request_withdrawn", messageZh: "这条求助已撤回，不能再修改" });
  });

  it("keeps a request volunteers finished closed: no more changes, no withdrawal", async () => {
    const { server, created, manageToken, caseNumber } = await submitted();
    const editor = await peer(server, created);
    await waitFor(() => editor.workbook.listRows(requests).some((row) => row.cells["caseNumber"] === caseNumber), "the editor's copy");
    const row = editor.workbook.listRows(requests).find((r) => r.cells["caseNumber"] === caseNumber)!;
    editor.workbook.setCell(requests, row.id, "followUp" as never, "resolved");
    await editor.acknowledged();
    const view = await call(server, "GET", `/api/manage/${manageToken}`);
    expect(view.json).toMatchObject({ closed: true, editable: false, followUp: { label: "已解决" } });
    const update = await call(server, "POST", `/api/manage/${manageToken}`, { body: { answers: validAnswers({ address: "新地址" }) } });
    expect(update.status).toBe(409);
    expect(update.json.error.code).toBe("request_closed");
    expect((await call(server, "POST", `/api/manage/${manageToken}/withdraw`)).json.error.code).toBe("request_closed");
    expect(storedRow(server, created.id, caseNumber)?.cells["address"]).toBe("某路 1 号");
  });

  it("rechecks duplicates when the phone number changes", async () => {
    const { server, created, token, manageToken, caseNumber } = await submitted(validAnswers({ phone: "13811112222" }));
    const other = await submit(server, token, validAnswers({ phone: "13933334444", description: "另一位" }), { waitMs: 200 });
    const answer = await call(server, "POST", `/api/manage/${manageToken}`, {
      body: { answers: validAnswers({ phone: "139 3333 4444" }) },
    });
    expect(answer.status).toBe(200);
    expect(storedRow(server, created.id, caseNumber)?.cells["duplicateOf"]).toBe(other.json.caseNumber);
  });

  it("works while the submission's completion is not recorded: the reply waits for the row only", async () => {
    class UnrecordedForms extends SqliteFormStore {
      override completeSubmission(): Promise<void> {
        return Promise.reject(new Error("disk I/O error"));
      }
    }
    const dataDir = mkdtempSync(join(tmpdir(), "huzhu-unrecorded-"));
    const store = new SqliteDocStore(dataDir);
    const server = await start({ dataDir, store, formStore: new UnrecordedForms(store), forms: { minFillMs: 150 } });
    const { body: created } = await createWorkbookOverHttp(server, { template: "shanghai-medical", title: "测试", sampleData: true });
    const token = await addFormLink(server, created.id);
    const form = await call(server, "GET", `/api/forms/${token}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const body = { ticket: form.json.ticket, answers: validAnswers({ description: "完成未记录" }) };
    const reply = await call(server, "POST", `/api/forms/${token}`, { body });
    expect(reply.status).toBe(201);
    const caseNumber = reply.json.caseNumber as string;
    expect(storedRow(server, created.id, caseNumber)?.cells["description"]).toBe("完成未记录");

    // The manage link finds the stored row; a replay of the ticket writes nothing more.
    const manageToken = String(reply.json.manageUrl).split("/m/")[1] ?? "";
    const view = await call(server, "GET", `/api/manage/${manageToken}`);
    expect(view.status).toBe(200);
    expect(view.json).toMatchObject({ caseNumber, editable: true });
    const replay = await call(server, "POST", `/api/forms/${token}`, { body });
    expect(replay.status).toBe(201);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect(replay.json.caseNumber).toBe(caseNumber);
    const doc = readStoredDocument(server.dataDir, created.id);
    const copies = doc
      ? openWorkbook(doc)
          .listRows(requests)
          .filter((row) => row.cells["description"] === "完成未记录")
      : [];
    expect(copies).toHaveLength(1);
  });

  it("answers 404 for a manage token that does not exist, and 404 request_gone once the row is purged", async () => {
    const { server, created, manageToken, caseNumber } = await submitted();
    expect((await call(server, "GET", `/api/manage/${"x".repeat(43)}`)).status).toBe(404);
    expect((await call(server, "POST", `/api/manage/${"x".repeat(43)}/withdraw`)).json.error.code).toBe("not_found");
    const editor = await peer(server, created);
    await waitFor(() => editor.workbook.listRows(requests).some((row) => row.cells["caseNumber"] === caseNumber), "the editor's copy");
    const row = editor.workbook.listRows(requests).find((r) => r.cells["caseNumber"] === caseNumber)!;
    editor.workbook.deleteRow(requests, row.id);
    await editor.acknowledged();
    const removed = await call(server, "GET", `/api/manage/${manageToken}`);
    expect(removed.json).toMatchObject({ removed: true, editable: false });
    expect((await call(server, "POST", `/api/manage/${manageToken}/withdraw`)).json.error.code).toBe("request_removed");

    // Purged for good (an admin, or retention), here while the server is down.
    editor.destroy();
    await server.close();
    const doc = readStoredDocument(server.dataDir, created.id)!;
    const updates: Uint8Array[] = [];
    doc.on("update", (update: Uint8Array) => updates.push(update));
    openWorkbook(doc).purgeRow(requests, row.id);
    const store = new SqliteDocStore(server.dataDir);
    for (const update of updates) await store.appendUpdate(created.id, update);
    await store.close();
    const again = await start({ dataDir: server.dataDir, forms: { minFillMs: 150 } });
    const gone = await call(again, "GET", `/api/manage/${manageToken}`);
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe("request_gone");
  });
});
