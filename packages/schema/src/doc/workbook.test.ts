import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { SchemaError } from "../errors.ts";
import { type ColumnId, type RowId, type SheetId, createRowId } from "../ids.ts";
import { createFromTemplate } from "../sheets/templates.ts";
import { replicasOf, syncAll, syncPair } from "../testing/replicas.ts";
import { RowKey, sheetsMap } from "./layout.ts";
import { type Workbook, openWorkbook } from "./workbook.ts";
import { type CellChange, describeCellChanges, observeWorkbook } from "./changes.ts";

const requests = "requests" as SheetId;
const col = (id: string) => id as ColumnId;

function twoReplicas(): [Workbook, Workbook] {
  const base = new Y.Doc();
  createFromTemplate(base, "shanghai-medical");
  const [a, b] = replicasOf(base, 2) as [Y.Doc, Y.Doc];
  return [openWorkbook(a), openWorkbook(b)];
}

describe("listRowIdsWithEmptyCells", () => {
  it("lists rows, trashed ones too, with an empty cell in any of the given columns", () => {
    const workbook = createFromTemplate(new Y.Doc(), "shanghai-medical");
    const [full, partial, trashed] = workbook.insertRows(requests, [
      { description: "有", street: "有" },
      { description: "有" },
      { street: "有" },
    ]);
    workbook.deleteRow(requests, trashed as RowId);
    const empty = workbook.listRowIdsWithEmptyCells(requests, ["description", "street"]);
    expect(new Set(empty)).toEqual(new Set([partial, trashed]));
    expect(empty).not.toContain(full);
  });
});

describe("workbook mutations", () => {
  it("creates the Shanghai template with its four tabs and private columns", () => {
    const workbook = createFromTemplate(new Y.Doc(), "shanghai-medical", { sampleData: true });
    expect(workbook.listSheets().map((s) => s.name)).toEqual(["首页", "求助", "渠道", "医院"]);
    const privateColumns = workbook
      .readSheet(requests)
      .columns.filter((c) => c.private)
      .map((c) => c.id);
    expect(privateColumns).toEqual(["patientName", "phone", "emergencyContact", "address", "duplicateOf", "notes"]);
    expect(workbook.listRows(requests)).toHaveLength(10);
    expect(workbook.readMeta()).toMatchObject({ title: "上海医疗紧急求助", casePrefix: "SH", formSheetId: "requests" });
  });

  it("refuses an invalid cell with a SchemaError naming column, value and what is accepted, and writes nothing", () => {
    const [workbook] = twoReplicas();
    const row = workbook.insertRow(requests, { urgency: "危急" });
    const before = Y.encodeStateVector(workbook.ydoc);
    let error: unknown;
    try {
      workbook.setCells(requests, row, { description: "ok", age: "六十" });
    } catch (e) {
      error = e;
    }
    if (!(error instanceof SchemaError)) throw new Error(`expected a SchemaError, got ${String(error)}`);
    expect(error.code).toBe("invalid_cell");
    expect(error.path).toEqual(["requests", row, "age"]);
    expect(error.message).toContain("年龄");
    expect(error.message).toContain('"六十"');
    expect(error.messageZh).toContain("需要数字");
    expect(Y.encodeStateVector(workbook.ydoc)).toEqual(before);
    expect(workbook.findRow(requests, row)?.cells.description).toBe("");
  });

  it("refuses cells of unknown columns and rows of unknown sheets", () => {
    const [workbook] = twoReplicas();
    expect(() => workbook.insertRow(requests, { nope: "x" })).toThrow(/No column "nope"/);
    expect(() => workbook.insertRow("missing" as SheetId, {})).toThrow(/No sheet "missing"/);
  });

  it("makes one transaction per mutation (SPEC 10)", () => {
    const [workbook] = twoReplicas();
    let transactions = 0;
    workbook.ydoc.on("afterTransaction", () => transactions++);
    workbook.insertRows(requests, [{ urgency: "紧急" }, { urgency: "一般" }, { urgency: "危急" }]);
    expect(transactions).toBe(1);
  });

  it("inserts rows under ids chosen by the caller, refusing a taken or malformed one", () => {
    const [a, b] = twoReplicas();
    const id = createRowId();
    expect(a.insertRow(requests, { urgency: "紧急" }, {}, id)).toBe(id);
    expect(() => a.insertRow(requests, {}, {}, id)).toThrow(SchemaError);
    expect(() => a.insertRows(requests, [{}], {}, { ids: ["Not An Id" as RowId] })).toThrow(/not valid or is taken/);
    // The same id written by two replicas is one row, whichever write wins (SPEC 2).
    b.insertRow(requests, { urgency: "一般" }, {}, id);
    syncAll([a.ydoc, b.ydoc]);
    expect(a.listRows(requests).filter((row) => row.id === id)).toHaveLength(1);
    expect(a.listRows(requests)).toEqual(b.listRows(requests));
  });

  it("reports changes by id", () => {
    const [workbook] = twoReplicas();
    const seen: string[] = [];
    observeWorkbook(workbook.ydoc, (changes) => {
      for (const [sheet, c] of changes.bySheet) seen.push(`${sheet}:+${c.added.size}~${c.updated.size}-${c.removed.size}`);
    });
    const row = workbook.insertRow(requests, {});
    workbook.setCell(requests, row, col("age"), 30);
    workbook.purgeRow(requests, row);
    expect(seen).toEqual(["requests:+1~0-0", "requests:+0~1-0", "requests:+0~0-1"]);
  });
});

describe("cells a row was inserted with", () => {
  const rawRow = (workbook: Workbook, rowId: RowId) =>
    ((sheetsMap(workbook.ydoc).get(requests) as Y.Map<unknown>).get("rows") as Y.Map<Y.Map<unknown>>).get(rowId) as Y.Map<unknown>;

  it("are one value; an edit shadows one cell, merges with another replica's edit, and its undo shows the inserted value again", () => {
    const [a, b] = twoReplicas();
    const row = a.insertRow(requests, { age: 30, notes: "初始", verification: "待核实" });
    expect([...rawRow(a, row).keys()].sort()).toEqual([RowKey.cells, RowKey.createdAt, RowKey.order].sort());
    syncPair(a.ydoc, b.ydoc);
    const undo = new Y.UndoManager(sheetsMap(a.ydoc), { trackedOrigins: new Set([null]) });
    a.setCell(requests, row, col("notes"), "A 改的");
    b.setCell(requests, row, col("verification"), "已核实");
    syncPair(a.ydoc, b.ydoc);
    for (const w of [a, b]) expect(w.findRow(requests, row)?.cells).toMatchObject({ age: 30, notes: "A 改的", verification: "verified" });
    undo.undo();
    syncPair(a.ydoc, b.ydoc);
    for (const w of [a, b]) expect(w.findRow(requests, row)?.cells).toMatchObject({ age: 30, notes: "初始", verification: "verified" });
    a.setCell(requests, row, col("age"), "");
    expect(a.findRow(requests, row)?.cells.age).toBeNull();
  });

  it("lose their private values to a purge, in the inserted value and in later edits, and the change names each cell", () => {
    const [workbook] = twoReplicas();
    const row = workbook.insertRow(requests, { phone: "13800138000", address: "秘密路 1 号", age: 30, notes: "初始" });
    workbook.setCell(requests, row, col("notes"), "已联系 13911112222");
    const changes: CellChange[][] = [];
    sheetsMap(workbook.ydoc).observeDeep((events) => changes.push(describeCellChanges(events)));
    expect(workbook.purgePrivateCells(requests, row).sort()).toEqual(["address", "notes", "phone"]);
    expect(workbook.findRow(requests, row)?.cells).toMatchObject({ phone: "", address: "", notes: "", age: 30 });
    const cellChanges = changes[0]?.filter((change) => !change.key.startsWith("$"));
    expect(cellChanges).toEqual(
      expect.arrayContaining([
        { sheetId: requests, rowId: row, key: "phone", before: "13800138000", after: undefined },
        { sheetId: requests, rowId: row, key: "address", before: "秘密路 1 号", after: undefined },
        { sheetId: requests, rowId: row, key: "notes", before: "已联系 13911112222", after: undefined },
      ]),
    );
    expect(cellChanges).toHaveLength(3);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(workbook.ydoc));
    const stored = Buffer.from(Y.encodeStateAsUpdate(reloaded));
    for (const secret of ["13800138000", "秘密路", "13911112222", "初始"]) expect(stored.includes(secret)).toBe(false);
    expect(openWorkbook(reloaded).findRow(requests, row)?.cells.age).toBe(30);
  });
});

describe("concurrency rules", () => {
  it("SPEC 1: edits to different cells of one row both survive", () => {
    const [a, b] = twoReplicas();
    const row = a.insertRow(requests, {});
    syncPair(a.ydoc, b.ydoc);
    a.setCell(requests, row, col("verification"), "已核实");
    b.setCell(requests, row, col("followUp"), "跟进中");
    syncPair(a.ydoc, b.ydoc);
    for (const w of [a, b]) expect(w.findRow(requests, row)?.cells).toMatchObject({ verification: "verified", followUp: "inProgress" });
  });

  it("SPEC 2: one cell edited twice concurrently ends with one value everywhere", () => {
    const [a, b] = twoReplicas();
    const row = a.insertRow(requests, {});
    syncPair(a.ydoc, b.ydoc);
    a.setCell(requests, row, col("notes"), "A 写的");
    b.setCell(requests, row, col("notes"), "B 写的");
    syncPair(a.ydoc, b.ydoc);
    const value = a.findRow(requests, row)?.cells.notes;
    expect(["A 写的", "B 写的"]).toContain(value);
    expect(b.findRow(requests, row)?.cells.notes).toBe(value);
  });

  it("SPEC 3: concurrent inserts at one spot are both kept, in the same order everywhere", () => {
    const [a, b] = twoReplicas();
    const first = a.insertRow(requests, { description: "first" });
    syncPair(a.ydoc, b.ydoc);
    a.insertRow(requests, { description: "from A" }, { after: first });
    b.insertRow(requests, { description: "from B" }, { after: first });
    syncPair(a.ydoc, b.ydoc);
    const orderA = a.listRows(requests).map((r) => r.cells.description);
    expect(orderA).toHaveLength(3);
    expect(orderA[0]).toBe("first");
    expect(b.listRows(requests).map((r) => r.cells.description)).toEqual(orderA);
    // Inserting after the tied pair steps over the tie instead of failing.
    const last = a.listRows(requests)[1]?.id as RowId;
    a.insertRow(requests, { description: "after tie" }, { after: last });
    expect(a.listRows(requests).map((r) => r.cells.description)).toHaveLength(4);
  });

  it("SPEC 4: an edit made while another deletes the row is kept and returns on restore", () => {
    const [a, b] = twoReplicas();
    const row = a.insertRow(requests, { description: "透析" });
    syncPair(a.ydoc, b.ydoc);
    a.deleteRow(requests, row);
    b.setCell(requests, row, col("notes"), "已联系医院");
    syncPair(a.ydoc, b.ydoc);
    for (const w of [a, b]) expect(w.listRows(requests)).toHaveLength(0);
    b.restoreRow(requests, row);
    syncPair(a.ydoc, b.ydoc);
    expect(a.findRow(requests, row)?.cells.notes).toBe("已联系医院");
    expect(a.listRows(requests).map((r) => r.id)).toEqual([row]);
  });

  it("SPEC 5 and 6: concurrent moves never duplicate a row, and a move keeps a concurrent edit", () => {
    const [a, b] = twoReplicas();
    const [r1, r2, r3] = a.insertRows(requests, [{ description: "1" }, { description: "2" }, { description: "3" }]) as [
      RowId,
      RowId,
      RowId,
    ];
    syncPair(a.ydoc, b.ydoc);
    a.moveRow(requests, r1, { after: r3 });
    b.moveRow(requests, r1, { before: r2 });
    b.setCell(requests, r1, col("notes"), "moved");
    syncPair(a.ydoc, b.ydoc);
    const ids = a.listRows(requests).map((r) => r.id);
    expect(new Set(ids).size).toBe(3);
    expect(b.listRows(requests).map((r) => r.id)).toEqual(ids);
    expect(a.findRow(requests, r1)?.cells.notes).toBe("moved");
  });

  it("SPEC 7: a column added while rows are edited keeps the edits and starts empty", () => {
    const [a, b] = twoReplicas();
    const row = a.insertRow(requests, {});
    syncPair(a.ydoc, b.ydoc);
    const column = a.addColumn(requests, { type: "checkbox", label: "已送药" });
    b.setCell(requests, row, col("age"), 70);
    const inserted = b.insertRow(requests, {});
    syncPair(a.ydoc, b.ydoc);
    for (const w of [a, b]) {
      expect(w.findRow(requests, row)?.cells).toMatchObject({ age: 70, [column]: false });
      expect(w.findRow(requests, inserted)?.cells[column]).toBe(false);
    }
  });

  it("SPEC 8: a cell for a column not yet known is kept and shows once the column arrives", () => {
    const base = new Y.Doc();
    const row = createFromTemplate(base, "shanghai-medical").insertRow(requests, {});
    const [a, b, c] = replicasOf(base, 3).map((doc) => openWorkbook(doc)) as [Workbook, Workbook, Workbook];
    const column = a.addColumn(requests, { type: "text", label: "药品" });
    syncPair(a.ydoc, b.ydoc);
    // c gets b's cell edit alone, before a's column definition reaches it.
    b.ydoc.once("update", (update: Uint8Array) => Y.applyUpdate(c.ydoc, update));
    b.setCell(requests, row, column, "胰岛素");
    expect(c.readSheet(requests).columns.some((col) => col.id === column)).toBe(false);
    syncPair(a.ydoc, c.ydoc);
    expect(c.findRow(requests, row)?.cells[column]).toBe("胰岛素");
  });

  it("SPEC 9: readers tolerate malformed data written by a foreign peer", () => {
    const [a] = twoReplicas();
    const row = a.insertRow(requests, { age: 40 });
    const sheets = sheetsMap(a.ydoc);
    const ySheet = sheets.get("requests") as Y.Map<unknown>;
    const yRow = (ySheet.get("rows") as Y.Map<Y.Map<unknown>>).get(row) as Y.Map<unknown>;
    a.ydoc.transact(() => {
      yRow.set("age", "forty");
      yRow.set("$order", 17);
      yRow.set("urgency", { evil: true });
      (ySheet.get("columns") as Y.Map<Y.Map<unknown>>).get("phone")?.set("type", "hologram");
      sheets.set("junk", "not a map" as never);
      ySheet.set("name", 42);
    });
    expect(a.findRow(requests, row)?.cells).toMatchObject({ age: null, urgency: null });
    expect(a.readSheet(requests).columns.some((c) => c.id === "phone")).toBe(false);
    expect(a.readSheet(requests).name).toBe("requests");
    expect(a.listSheets()).toHaveLength(4);
    expect(a.listRows(requests)).toHaveLength(1);
  });

  it("syncs many replicas to one state", () => {
    const [a, b] = twoReplicas();
    a.insertRow(requests, {});
    b.insertRow(requests, {});
    syncAll([a.ydoc, b.ydoc]);
    expect(a.listRows(requests)).toEqual(b.listRows(requests));
  });
});
