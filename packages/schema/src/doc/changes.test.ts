import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { SheetId } from "../ids.ts";
import { createFromTemplate } from "../sheets/templates.ts";
import { type CellChange, describeCellChanges, observeCellChanges } from "./changes.ts";
import { sheetsMap } from "./layout.ts";

const requests = "requests" as SheetId;

describe("cell changes for the audit log", () => {
  it("lists old and new values of every changed key, new rows and purged rows", () => {
    const doc = new Y.Doc();
    const workbook = createFromTemplate(doc, "shanghai-medical");
    const changes: CellChange[][] = [];
    sheetsMap(doc).observeDeep((events) => changes.push(describeCellChanges(events)));
    const row = workbook.insertRow(requests, { age: 30 });
    workbook.setCells(requests, row, { age: 31, notes: "已联系" });
    workbook.purgeRow(requests, row);
    expect(changes[0]?.find((c) => c.key === "age")).toEqual({ sheetId: "requests", rowId: row, key: "age", before: undefined, after: 30 });
    expect(changes[1]).toEqual(
      expect.arrayContaining([
        { sheetId: "requests", rowId: row, key: "age", before: 30, after: 31 },
        { sheetId: "requests", rowId: row, key: "notes", before: undefined, after: "已联系" },
      ]),
    );
    expect(changes[2]).toEqual([{ sheetId: "requests", rowId: row, key: "", before: undefined, after: undefined }]);
  });

  it("observes row changes with their transaction, and stops when asked", () => {
    const doc = new Y.Doc();
    const workbook = createFromTemplate(doc, "shanghai-medical", { origin: "someone" });
    const seen: [CellChange[], unknown][] = [];
    const stop = observeCellChanges(doc, (changes, transaction) => seen.push([changes, transaction.origin]));
    const row = workbook.insertRow(requests, { age: 30 });
    workbook.setMeta({ title: "不是行" });
    stop();
    workbook.setCell(requests, row, "age" as never, 31);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[1]).toBe("someone");
    expect(seen[0]?.[0].find((c) => c.key === "age")?.after).toBe(30);
  });
});
