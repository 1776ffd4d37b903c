import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { openWorkbook } from "./doc/workbook.ts";
import type { ColumnId, SheetId } from "./ids.ts";
import { applyProjection, publicProjection, publicViewJson } from "./projection.ts";
import { createFromTemplate } from "./sheets/templates.ts";
import { syncAll } from "./testing/replicas.ts";

const requests = "requests" as SheetId;
const PRIVATE_MARKERS = ["13912345678", "秘密地址", "隐私姓名", "私密备注"];

function workbookWithPrivateValues() {
  const workbook = createFromTemplate(new Y.Doc(), "shanghai-medical", { sampleData: true });
  const [visible, hidden, closed, trashed] = workbook.insertRows(requests, [
    {
      verification: "已核实",
      followUp: "跟进中",
      phone: PRIVATE_MARKERS[0],
      address: PRIVATE_MARKERS[1],
      patientName: PRIVATE_MARKERS[2],
      notes: PRIVATE_MARKERS[3],
      description: "公开描述",
    },
    { verification: "待核实", description: "未核实" },
    { verification: "已核实", followUp: "已关闭", description: "已关闭" },
    { verification: "已核实", description: "回收站" },
  ]);
  workbook.deleteRow(requests, trashed!);
  return { workbook, visible: visible!, hidden: hidden!, closed: closed! };
}

describe("public projection", () => {
  it("SPEC 11: leaves out private columns, unpublished and trashed rows", () => {
    const { workbook, visible, hidden, closed } = workbookWithPrivateValues();
    const projection = publicProjection(workbook);
    const sheet = projection.sheets.find((s) => s.id === "requests")!;
    const ids = sheet.rows.map((r) => r.id);
    expect(ids).toContain(visible);
    expect(ids).not.toContain(hidden);
    expect(ids).not.toContain(closed);
    expect(sheet.rows.every((r) => r.cells.description !== "回收站")).toBe(true);
    expect(sheet.columns.map((c) => c.id)).not.toContain("phone");
    const bytes = JSON.stringify(projection);
    for (const marker of PRIVATE_MARKERS) expect(bytes).not.toContain(marker);
  });

  it("SPEC 11: leaves out sheets that are not public", () => {
    const { workbook } = workbookWithPrivateValues();
    workbook.updateSheet("hospitals" as SheetId, { publicMode: "none" });
    expect(publicProjection(workbook).sheets.map((s) => s.id)).toEqual(["notice", "requests", "channels"]);
  });

  it("SPEC 12: applying is idempotent; several appliers converge on one copy in one order", () => {
    const { workbook } = workbookWithPrivateValues();
    const projection = publicProjection(workbook);
    const targets = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    for (const target of targets) applyProjection(projection, target);
    syncAll(targets);
    const read = (doc: Y.Doc) => {
      const view = openWorkbook(doc);
      return view.listSheets().map((s) => ({ ...view.readSheet(s.id), rows: view.listRows(s.id) }));
    };
    const expected = projection.sheets.map((s) => s.rows.map((r) => r.id));
    for (const target of targets) expect(read(target).map((s) => s.rows.map((r) => r.id))).toEqual(expected);
    let updates = 0;
    targets[0]!.on("update", () => updates++);
    applyProjection(projection, targets[0]!);
    expect(updates).toBe(0);
    const bytes = new TextDecoder().decode(Y.encodeStateAsUpdate(targets[0]!));
    for (const marker of PRIVATE_MARKERS) expect(bytes).not.toContain(marker);
  });

  it("SPEC 12: a row that stops being public disappears from the projection document", () => {
    const { workbook, visible } = workbookWithPrivateValues();
    const target = new Y.Doc();
    applyProjection(publicProjection(workbook), target);
    workbook.setCell(requests, visible, "followUp" as never, "已关闭");
    applyProjection(publicProjection(workbook), target);
    expect(openWorkbook(target).findRow(requests, visible)).toBeUndefined();
  });

  it("composes the view's JSON from per-row pieces, byte for byte what JSON.stringify gives", () => {
    const { workbook, visible } = workbookWithPrivateValues();
    const first = publicProjection(workbook);
    expect(publicViewJson(first)).toBe(JSON.stringify(first));
    workbook.setCell(requests, visible, "description" as ColumnId, '改过的描述 "引号" \n 换行');
    const second = publicProjection(workbook);
    expect(publicViewJson(second)).toBe(JSON.stringify(second));
    expect(publicViewJson(second)).toContain("改过的描述");
  });

  it("drops a column made private from the public document's bytes, edited or as inserted", () => {
    const { workbook, visible } = workbookWithPrivateValues();
    const [other] = workbook.insertRows(requests, [{ verification: "已核实", followUp: "跟进中", street: "长乐路 1 号" }]);
    const target = new Y.Doc();
    applyProjection(publicProjection(workbook), target);
    workbook.setCell(requests, visible, "street" as ColumnId, "淮海路 2 号");
    applyProjection(publicProjection(workbook), target);
    const bytes = () => Buffer.from(Y.encodeStateAsUpdate(target));
    expect(bytes().includes("长乐路 1 号")).toBe(true);
    expect(bytes().includes("淮海路 2 号")).toBe(true);
    workbook.updateColumn(requests, "street" as ColumnId, { private: true });
    applyProjection(publicProjection(workbook), target);
    for (const street of ["长乐路 1 号", "淮海路 2 号"]) expect(bytes().includes(street)).toBe(false);
    expect(openWorkbook(target).findRow(requests, other!)?.cells).not.toHaveProperty("street");
    expect(openWorkbook(target).findRow(requests, visible)?.cells["description"]).toBe("公开描述");
  });

  it("reuses the projection of unchanged rows and rewrites only changed ones in the target", () => {
    const { workbook, visible } = workbookWithPrivateValues();
    const target = new Y.Doc();
    const first = publicProjection(workbook);
    applyProjection(first, target);
    const changedKeys: string[] = [];
    target.on("afterTransaction", (transaction: Y.Transaction) => {
      for (const keys of transaction.changed.values()) for (const key of keys) if (key) changedKeys.push(key);
    });
    workbook.setCell(requests, visible, "description" as ColumnId, "只改这一格");
    const second = publicProjection(workbook);
    const unchanged = second.sheets.flatMap((sheet) => sheet.rows).filter((row) => row.id !== visible);
    const before = new Set(first.sheets.flatMap((sheet) => sheet.rows));
    expect(unchanged.every((row) => before.has(row))).toBe(true);
    applyProjection(second, target);
    expect(changedKeys).toEqual(["description"]);
    const copy = new Y.Doc();
    applyProjection(second, copy);
    // The same rows to a reader (the target holds the edit as a key of its own, the copy in the row's inserted cells).
    const read = (doc: Y.Doc) => {
      const view = openWorkbook(doc);
      return view.listSheets().map((sheet) => [sheet, view.readSheet(sheet.id), view.listRows(sheet.id)]);
    };
    expect(read(target)).toEqual(read(copy));
  });
});
