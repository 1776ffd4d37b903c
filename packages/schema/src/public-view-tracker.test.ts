import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { RowId, SheetId } from "./ids.ts";
import { openWorkbook } from "./doc/workbook.ts";
import { applyProjection, publicProjection, publicViewJson } from "./projection.ts";
import { trackPublicView } from "./public-view-tracker.ts";
import { createFromTemplate } from "./sheets/templates.ts";
import { createRandom } from "./testing/random.ts";

const requests = "requests" as SheetId;

describe("trackPublicView", () => {
  it("gives exactly what a whole projection gives, after every kind of row change", () => {
    const ydoc = new Y.Doc();
    const workbook = createFromTemplate(ydoc, "shanghai-medical", { sampleData: true });
    const tracker = trackPublicView(workbook);
    const kept = new Y.Doc();
    const { int, pick, chance } = createRandom(7);
    const ids = (): RowId[] => workbook.listRows(requests, { includeDeleted: true }).map((row) => row.id);
    const statuses = ["待核实", "已核实", "信息有误"];
    const followUps = ["待跟进", "跟进中", "已解决", "已关闭"];
    expect(tracker.view()).toEqual(publicProjection(workbook));

    for (let step = 0; step < 300; step++) {
      const action = int(9);
      const rowId = pick(ids());
      if (action === 0) workbook.insertRows(requests, [{ verification: pick(statuses), description: `新 ${step}` }]);
      else if (action === 1) workbook.setCell(requests, rowId, "verification" as never, pick(statuses));
      else if (action === 2) workbook.setCell(requests, rowId, "followUp" as never, pick(followUps));
      else if (action === 3) workbook.setCell(requests, rowId, "description" as never, `描述 ${step}`);
      else if (action === 4) workbook.setCell(requests, rowId, "phone" as never, `1380000${String(step).padStart(4, "0")}`);
      else if (action === 5 && workbook.findRow(requests, rowId)?.deletedAt === null) workbook.deleteRow(requests, rowId);
      else if (action === 5) workbook.restoreRow(requests, rowId);
      else if (action === 6) {
        const anchor = pick(workbook.listRows(requests).map((row) => row.id));
        if (anchor && anchor !== rowId) workbook.moveRow(requests, rowId, { before: anchor });
      } else if (action === 7 && ids().length > 3) workbook.purgeRow(requests, rowId);
      else if (action === 8)
        ydoc.transact(() => {
          // Several changes in one transaction, as a sync from a peer brings them.
          workbook.setCell(requests, rowId, "description" as never, `批量 ${step}`);
          workbook.insertRows(requests, [{ verification: "已核实", description: `批量新 ${step}` }]);
        });
      if (chance(0.4)) continue; // changes pile up between reads, as within a batch window
      const expected = publicProjection(workbook);
      const view = tracker.view();
      expect(view).toEqual(expected);
      expect(publicViewJson(view)).toBe(JSON.stringify(expected));
      // Applied view by view, a public document ends as one written from scratch.
      applyProjection(view, kept);
      const fresh = new Y.Doc();
      applyProjection(expected, fresh);
      expect(publicProjection(openWorkbook(kept))).toEqual(publicProjection(openWorkbook(fresh)));
    }
    tracker.stop();
  });

  it("rebuilds the whole view when columns, sheets or the title change", () => {
    const ydoc = new Y.Doc();
    const workbook = createFromTemplate(ydoc, "shanghai-medical", { sampleData: true });
    const tracker = trackPublicView(workbook);
    tracker.view();
    workbook.updateColumn(requests, "description" as never, { private: true });
    expect(tracker.view()).toEqual(publicProjection(workbook));
    const sheet = tracker.view().sheets.find((s) => s.id === requests);
    expect(sheet?.columns.map((c) => c.id)).not.toContain("description");
    expect(sheet?.rows.some((row) => "description" in row.cells)).toBe(false);
    workbook.updateSheet("hospitals" as SheetId, { publicMode: "none" });
    expect(tracker.view().sheets.map((sheet) => sheet.id)).not.toContain("hospitals");
    workbook.setMeta({ title: "新标题" });
    expect(tracker.view().title).toBe("新标题");
    expect(tracker.view()).toEqual(publicProjection(workbook));
  });
});
