import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { SheetId } from "../ids.ts";
import { createFromTemplate } from "../sheets/templates.ts";
import { replicasOf, syncPair } from "../testing/replicas.ts";
import { openWorkbook } from "./workbook.ts";

const requests = "requests" as SheetId;
const descriptions = (workbook: ReturnType<typeof openWorkbook>) => workbook.listRows(requests).map((row) => row.cells["description"]);

describe("appending rows without scanning the sheet", () => {
  it("appends after rows that arrived from another replica and after a row moved to the end", () => {
    const base = createFromTemplate(new Y.Doc(), "shanghai-medical");
    base.insertRow(requests, { description: "一" });
    const [a, b] = replicasOf(base.ydoc, 2) as [Y.Doc, Y.Doc];
    const here = openWorkbook(a);
    const there = openWorkbook(b);
    here.insertRow(requests, { description: "二" });
    there.insertRow(requests, { description: "远端三" });
    syncPair(a, b);
    const first = here.listRows(requests)[0]?.id;
    if (!first) throw new Error("no rows");
    here.moveRow(requests, first, { after: here.listRows(requests).at(-1)?.id });
    here.insertRow(requests, { description: "最后" });
    expect(descriptions(here).at(-1)).toBe("最后");
    expect(descriptions(here).at(-2)).toBe("一");
  });

  it("keeps rows appended one by one inside one transaction in the order they were added", () => {
    const workbook = createFromTemplate(new Y.Doc(), "shanghai-medical");
    workbook.insertRow(requests, { description: "开头" });
    workbook.transact(() => {
      for (let i = 1; i <= 20; i++) workbook.insertRow(requests, { description: `第${i}行` });
    });
    expect(descriptions(workbook)).toEqual(["开头", ...Array.from({ length: 20 }, (_, i) => `第${i + 1}行`)]);
  });
});
