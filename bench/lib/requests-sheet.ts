import * as Y from "yjs";
import {
  type CellInputs,
  type ColumnId,
  type RowId,
  type SheetId,
  TemplateId,
  createFromTemplate,
  SystemField,
  type Workbook,
  openWorkbook,
  templates,
} from "@huzhu/schema";
import { createRandom } from "@huzhu/schema/testing/random";

/** The sheet every benchmark loads: the Shanghai medical template's requests sheet. */
export const REQUESTS_SHEET = "requests" as SheetId;
/** The public, free-text column benchmark edits write (its value carries the edit marker). */
export const EDITED_COLUMN = "description" as ColumnId;

/** How big a requests sheet to build. */
export interface RequestsSheetPlan {
  /** Rows in the sheet, editor rows included. */
  readonly rows: number;
  /** Rows set aside for benchmark editors, one each; public (verified, in progress). */
  readonly editorRows: number;
  /** Fill the system cells, case number included (a bare server has nobody else to do it). */
  readonly caseNumbers: boolean;
  /** Rows per transaction, so the seed can be pushed over the wire in bounded updates (Huzhu takes ≤ 1 MiB each). */
  readonly rowsPerUpdate?: number;
}

/** A requests sheet built on top of a template state. */
export interface RequestsSheet {
  /** The whole document (template, editor rows, filler rows). */
  readonly ydoc: Y.Doc;
  /** What generators load to make edits: the template plus the editor rows only (small). */
  readonly editorBase: Uint8Array;
  /** Row ids reserved for editors, in order. */
  readonly editorRowIds: readonly RowId[];
  /** The updates that turn the template state into the sheet, in order, each ≤ rowsPerUpdate rows. */
  readonly updates: readonly Uint8Array[];
  /** The state vector of the finished document (light clients claim it when they sync). */
  readonly stateVector: Uint8Array;
  readonly buildMs: number;
}

const sampleRequests = templates[TemplateId.shanghaiMedical].sample["requests"] ?? [];

/** The template's system columns (their ids are the field names). */
const SYSTEM_KEYS: ReadonlySet<string> = new Set(Object.values(SystemField));

/** A fictitious request in the shape of the template's samples; phone numbers use the unused 100 prefix. */
function requestCells(index: number, random: () => number, caseNumbers: boolean): CellInputs {
  const sample = sampleRequests[index % sampleRequests.length] ?? {};
  // System cells are the server's own (Huzhu refuses an editor's write to them), except on a bare
  // server, which has nobody else to fill them.
  const own = Object.fromEntries(Object.entries(sample).filter(([key]) => caseNumbers || !SYSTEM_KEYS.has(key)));
  const cells: Record<string, unknown> = {
    ...own,
    description: `${String(sample["description"] ?? "求助")}（第 ${index + 1} 条）`,
    phone: `100 ${String(Math.floor(index / 10000)).padStart(4, "0")} ${String(index % 10000).padStart(4, "0")}`,
    age: 1 + Math.floor(random() * 95),
  };
  if (caseNumbers) cells["caseNumber"] = `SH-${String(index + 1).padStart(5, "0")}`;
  return cells;
}

const UNVERIFIED = ["pending", "unreachable", "incorrect", "duplicate"];

/**
 * What the verification and follow-up teams write on a request after it arrives: a verification
 * status on every row, a follow-up status on the verified (public) ones. Written as edits, after
 * the row, as volunteers do: each is a key of its own in the row (not part of its inserted cells).
 */
function teamEdits(random: () => number, visible: boolean): CellInputs {
  if (visible) return { verification: "verified", followUp: "inProgress" };
  return { verification: UNVERIFIED[Math.floor(random() * UNVERIFIED.length)] };
}

/** Inserts requests and, in the same transaction, the teams' edits on them. */
function insertRequests(
  workbook: Workbook,
  from: number,
  visible: readonly boolean[],
  random: () => number,
  caseNumbers: boolean,
): RowId[] {
  return workbook.transact(() => {
    const ids = workbook.insertRows(
      REQUESTS_SHEET,
      visible.map((_, i) => requestCells(from + i, random, caseNumbers)),
    );
    ids.forEach((id, i) => {
      workbook.setCells(REQUESTS_SHEET, id, teamEdits(random, visible[i] === true));
    });
    return ids;
  });
}

/**
 * Builds a requests sheet of `plan.rows` rows on top of `templateState` (a server's freshly created
 * workbook), or on a locally created Shanghai medical workbook when there is none. Editor rows
 * come first so that `editorBase` is a prefix of the document that generators can load cheaply.
 */
export function buildRequestsSheet(plan: RequestsSheetPlan, templateState: Uint8Array | null): RequestsSheet {
  const startedAt = performance.now();
  const ydoc = new Y.Doc();
  if (templateState) Y.applyUpdate(ydoc, templateState);
  else createFromTemplate(ydoc, TemplateId.shanghaiMedical, { sampleData: false });
  const updates: Uint8Array[] = [];
  const record = (update: Uint8Array) => updates.push(update);
  ydoc.on("update", record);
  const workbook = openWorkbook(ydoc);
  const random = createRandom(0x5eed).next;
  const editorRows = Math.min(plan.editorRows, plan.rows);
  const editorRowIds = editorRows ? insertRequests(workbook, 0, Array(editorRows).fill(true), random, plan.caseNumbers) : [];
  const editorBase = Y.encodeStateAsUpdate(ydoc);
  const perUpdate = plan.rowsPerUpdate ?? 1000;
  for (let start = editorRows; start < plan.rows; start += perUpdate) {
    const count = Math.min(perUpdate, plan.rows - start);
    const visible = Array.from({ length: count }, () => random() < 0.4);
    insertRequests(workbook, start, visible, random, plan.caseNumbers);
  }
  ydoc.off("update", record);
  return {
    ydoc,
    editorBase,
    editorRowIds,
    updates,
    stateVector: Y.encodeStateVector(ydoc),
    buildMs: performance.now() - startedAt,
  };
}
