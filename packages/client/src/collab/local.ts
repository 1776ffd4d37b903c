import { type SheetId, SystemField, TemplateId, createFromTemplate, openWorkbook } from "@huzhu/schema";
import * as Y from "yjs";
import { createStore } from "../lib/store.ts";
import type { Collab } from "./collab.ts";
import type { Peer } from "./presence.ts";
import { createUndoHistory } from "./undo.ts";

/**
 * A workbook that lives only in this tab, filled from the Shanghai template with sample rows.
 * Development only (`pnpm --filter @huzhu/client dev` without an editor link): the grid can be
 * worked on without a server. A pretend colleague sits on one cell to show presence.
 */
export function createLocalCollab(): Collab {
  const ydoc = new Y.Doc();
  const template = createFromTemplate(ydoc, TemplateId.shanghaiMedical, { sampleData: true });
  const origin = { source: "local-user" };
  const workbook = openWorkbook(ydoc, { origin });
  const requests = template.listRows("requests" as SheetId);
  // The server numbers cases; here we do it once so the demo looks like the real thing.
  for (const [i, row] of requests.entries()) {
    template.setSystemCell("requests" as SheetId, row.id, SystemField.caseNumber, `SH-${String(i + 1).padStart(4, "0")}`);
  }
  const firstRow = requests[1];
  const colleague: Peer = {
    clientId: 1,
    name: "核实组 · 小李",
    color: "#9334e6",
    cursor: firstRow ? { sheetId: "requests", rowId: firstRow.id, columnId: "verification" } : null,
  };
  const history = createUndoHistory(ydoc, origin);
  return {
    workbook,
    self: { name: "本地演示", color: "#1a73e8", role: "editor" },
    readOnly: false,
    connection: createStore({ socket: "connected", synced: true, unsynced: 0, refusedReason: null, everSynced: true }),
    peers: createStore<readonly Peer[]>([colleague]),
    history,
    setCursor: () => {},
    destroy: () => {
      history.destroy();
      ydoc.destroy();
    },
  };
}
