import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { openWorkbook } from "./doc/workbook.ts";
import type { SheetId } from "./ids.ts";
import { isDueForPurge } from "./retention.ts";
import { createFromTemplate } from "./sheets/templates.ts";

const requests = "requests" as SheetId;
const SECRET = "13900001111";

describe("retention and purge", () => {
  it("the Shanghai template purges resolved or closed requests after 7 days", () => {
    const workbook = createFromTemplate(new Y.Doc(), "shanghai-medical");
    expect(workbook.readMeta().retention).toEqual({
      sheetId: "requests",
      statusColumnId: "followUp",
      closedOptionIds: ["resolved", "closed"],
      days: 7,
    });
  });

  it("a row is due once it has been closed longer than the policy's days, and not after its purge", () => {
    const workbook = createFromTemplate(new Y.Doc(), "shanghai-medical");
    const policy = workbook.readMeta().retention!;
    const row = workbook.insertRow(requests, { followUp: "已解决", phone: SECRET });
    const closedAt = new Date("2022-04-10T00:00:00Z");
    workbook.stampClosed(requests, row, closedAt);
    const read = () => workbook.findRow(requests, row)!;
    expect(isDueForPurge(policy, read(), new Date("2022-04-16T23:59:00Z"))).toBe(false);
    expect(isDueForPurge(policy, read(), new Date("2022-04-17T00:00:00Z"))).toBe(true);
    workbook.setCell(requests, row, "followUp" as never, "跟进中");
    expect(isDueForPurge(policy, read(), new Date("2022-05-01T00:00:00Z"))).toBe(false);
  });

  it("purging deletes private cells, keeps the rest, and the re-encoded document no longer holds them", () => {
    const doc = new Y.Doc();
    const workbook = createFromTemplate(doc, "shanghai-medical", { origin: "test" });
    const row = workbook.insertRow(requests, { phone: SECRET, address: "秘密路 1 号", description: "需要药" });
    expect(Buffer.from(Y.encodeStateAsUpdate(doc)).includes(SECRET)).toBe(true);
    const purged = workbook.purgePrivateCells(requests, row);
    expect(purged.sort()).toEqual(["address", "phone"]);
    expect(workbook.findRow(requests, row)?.cells).toMatchObject({ phone: "", address: "", description: "需要药" });
    expect(workbook.findRow(requests, row)?.purgedAt).not.toBeNull();
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(doc));
    expect(Buffer.from(Y.encodeStateAsUpdate(reloaded)).includes(SECRET)).toBe(false);
    expect(openWorkbook(reloaded).findRow(requests, row)?.cells.description).toBe("需要药");
  });
});
