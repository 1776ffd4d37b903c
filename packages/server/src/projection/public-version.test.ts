import { type PublicWorkbook, type RowId, type SheetId, createFromTemplate, publicProjection, trackPublicView } from "@huzhu/schema";
import { createRandom } from "@huzhu/schema/testing/random";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { viewDigest } from "./public-version.ts";

const requests = "requests" as SheetId;

/** The same view made of new objects: its digest is computed from scratch, sharing nothing. */
const copied = (view: PublicWorkbook): PublicWorkbook => JSON.parse(JSON.stringify(view)) as PublicWorkbook;

describe("viewDigest", () => {
  it("equals the digest of the same view computed from scratch, batch after batch, whatever chunk changed", () => {
    const workbook = createFromTemplate(new Y.Doc(), "shanghai-medical", { sampleData: true });
    // More public rows than a few chunks of the digest hold.
    workbook.insertRows(
      requests,
      Array.from({ length: 700 }, (_, i) => ({ verification: "已核实", description: `第 ${i} 条` })),
    );
    const tracker = trackPublicView(workbook);
    const { int, pick } = createRandom(11);
    const ids = (): RowId[] => workbook.listRows(requests).map((row) => row.id);
    let previous = viewDigest(tracker.view());
    expect(previous).toBe(viewDigest(copied(tracker.view())));
    for (let batch = 0; batch < 60; batch++) {
      const action = int(4);
      const rowId = pick(ids());
      if (action === 0) workbook.setCell(requests, rowId, "description" as never, `改 ${batch}`);
      else if (action === 1) workbook.setCell(requests, rowId, "verification" as never, pick(["待核实", "已核实"]));
      else if (action === 2) workbook.insertRows(requests, [{ verification: "已核实", description: `新 ${batch}` }]);
      else workbook.moveRow(requests, rowId, { before: pick(ids()) });
      const view = tracker.view();
      const digest = viewDigest(view);
      expect(digest).toBe(viewDigest(copied(view)));
      expect(view).toEqual(publicProjection(workbook));
      previous = digest;
    }
    // A change far down the sheet (past the first chunks) changes the digest.
    const last = ids().at(-1) as RowId;
    workbook.setCell(requests, last, "description" as never, "最后一行改了");
    const changed = viewDigest(tracker.view());
    expect(changed).not.toBe(previous);
    expect(changed).toBe(viewDigest(copied(tracker.view())));
    tracker.stop();
  });
});
