import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ColumnType } from "../columns/column.ts";
import type { ColumnId, SheetId } from "../ids.ts";
import { createFromTemplate } from "../sheets/templates.ts";
import { replicasOf, syncPair } from "../testing/replicas.ts";
import { observeWorkbook } from "./changes.ts";
import { openWorkbook } from "./workbook.ts";

const requests = "requests" as SheetId;

function shanghai() {
  const doc = new Y.Doc();
  createFromTemplate(doc, "shanghai-medical");
  return openWorkbook(doc);
}

describe("cached reads of columns and rows", () => {
  it("sees a column added earlier in the same transaction", () => {
    const workbook = shanghai();
    workbook.readSheet(requests); // cached before the transaction
    workbook.transact(() => {
      const bed = workbook.addColumn(requests, { type: ColumnType.text, label: "床位" });
      const row = workbook.insertRow(requests, { [bed]: "3 床" });
      expect(workbook.findRow(requests, row)?.cells[bed]).toBe("3 床");
    });
  });

  it("sees a label change at once, and observers of that change see it too", () => {
    const workbook = shanghai();
    const column = workbook.readSheet(requests).columns[0]?.id as ColumnId;
    const seen: string[] = [];
    observeWorkbook(workbook.ydoc, () => seen.push(workbook.readSheet(requests).columns[0]?.label ?? ""));
    workbook.updateColumn(requests, column, { label: "新标题" });
    expect(workbook.readSheet(requests).columns[0]?.label).toBe("新标题");
    expect(seen).toEqual(["新标题"]);
  });

  it("sees a column change that arrives from another replica", () => {
    const base = shanghai();
    const [a, b] = replicasOf(base.ydoc, 2) as [Y.Doc, Y.Doc];
    const here = openWorkbook(a);
    const there = openWorkbook(b);
    const before = here.readSheet(requests).columns.length;
    const added = there.addColumn(requests, { type: ColumnType.text, label: "远端列" });
    syncPair(a, b);
    expect(here.readSheet(requests).columns.map((c) => c.id)).toContain(added);
    expect(here.readSheet(requests).columns).toHaveLength(before + 1);
  });

  it("reads an unchanged row once, and a changed row afresh, whoever changed it", () => {
    const base = shanghai();
    const row = base.insertRow(requests, { description: "原始" });
    const [a, b] = replicasOf(base.ydoc, 2) as [Y.Doc, Y.Doc];
    const here = openWorkbook(a);
    const there = openWorkbook(b);
    const first = here.findRow(requests, row);
    expect(here.findRow(requests, row)).toBe(first);
    here.setCell(requests, row, "description" as ColumnId, "本地改");
    expect(here.findRow(requests, row)?.cells["description"]).toBe("本地改");
    there.setCell(requests, row, "street" as ColumnId, "复兴中路");
    syncPair(a, b);
    expect(here.findRow(requests, row)?.cells).toMatchObject({ description: "本地改", street: "复兴中路" });
    expect(Object.isFrozen(here.findRow(requests, row)?.cells)).toBe(true);
  });

  it("reads rows through a new column as soon as it exists", () => {
    const workbook = shanghai();
    const row = workbook.insertRow(requests, { description: "x" });
    workbook.findRow(requests, row);
    const bed = workbook.addColumn(requests, { type: ColumnType.text, label: "床位" });
    expect(workbook.findRow(requests, row)?.cells).toHaveProperty(bed, "");
  });

  it("sees column changes inside a transaction that already changed many rows", () => {
    const workbook = shanghai();
    const column = workbook.readSheet(requests).columns[0]?.id as ColumnId;
    workbook.transact(() => {
      workbook.insertRows(
        requests,
        Array.from({ length: 150 }, (_, i) => ({ description: `行 ${i}` })),
      );
      expect(workbook.readSheet(requests).columns[0]?.label).not.toBe("大事务里改名");
      workbook.updateColumn(requests, column, { label: "大事务里改名" });
      expect(workbook.readSheet(requests).columns[0]?.label).toBe("大事务里改名");
    });
    expect(workbook.readSheet(requests).columns[0]?.label).toBe("大事务里改名");
  });
});
