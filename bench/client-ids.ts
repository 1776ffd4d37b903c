import * as Y from "yjs";
import { ms, table } from "./lib/format.ts";

/**
 * Client-ids benchmark: what an edit costs to apply to a workbook document, by how many Yjs client
 * ids have ever written to it. A workbook keeps them all, and Yjs walks them at the start and end of
 * every transaction (state vectors) and again to encode the update it emits; every page load that
 * wrote under a new id would add one for good (docs/audiences.md, "One client id per connection").
 * In-process, no server: each edit is one cell overwritten by one editor, applied with an `update`
 * listener (as Hocuspocus listens), timed per edit. The anchor is the same edits on a document
 * written by that editor alone.
 */
export interface ClientIdsOptions {
  readonly counts: readonly number[];
  /** Edits per count, at most; stops earlier after `maxMs`. */
  readonly edits: number;
  readonly maxMs: number;
}

export const clientIdsDefaults: ClientIdsOptions = { counts: [1, 500, 5_000, 20_000], edits: 2_000, maxMs: 3_000 };

export interface ClientIdsRow {
  readonly clientIds: number;
  readonly edits: number;
  readonly usPerEdit: number;
  readonly timesAnchor: number;
}

/** A document holding a key written by each of `count - 1` other clients (a merged update: built once). */
function documentWrittenBy(count: number): Y.Doc {
  const updates: Uint8Array[] = [];
  for (let client = 1; client < count; client += 1) {
    const writer = new Y.Doc();
    writer.clientID = client;
    writer.getMap("rows").set(`row-${client}`, client);
    updates.push(Y.encodeStateAsUpdate(writer));
  }
  const doc = new Y.Doc();
  if (updates.length) Y.applyUpdate(doc, Y.mergeUpdates(updates));
  return doc;
}

function applyCost(count: number, options: ClientIdsOptions): { edits: number; usPerEdit: number } {
  const doc = documentWrittenBy(count);
  doc.on("update", () => {});
  const editor = new Y.Doc();
  editor.clientID = 0x7fffffff;
  Y.applyUpdate(editor, Y.encodeStateAsUpdate(doc));
  const updates: Uint8Array[] = [];
  editor.on("update", (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < options.edits; i += 1) editor.getMap("rows").set(`cell-${i % 50}`, `value ${i}`);
  const started = performance.now();
  let applied = 0;
  for (const update of updates) {
    Y.applyUpdate(doc, update);
    applied += 1;
    if (performance.now() - started > options.maxMs) break;
  }
  return { edits: applied, usPerEdit: ((performance.now() - started) * 1000) / applied };
}

export function runClientIds(options: ClientIdsOptions, log: (line: string) => void): ClientIdsRow[] {
  const rows: ClientIdsRow[] = [];
  let anchor: number | undefined;
  for (const count of options.counts) {
    log(`applying edits to a document written by ${count} client id(s)`);
    const { edits, usPerEdit } = applyCost(count, options);
    anchor ??= usPerEdit;
    rows.push({ clientIds: count, edits, usPerEdit, timesAnchor: usPerEdit / anchor });
  }
  return rows;
}

export function clientIdsTable(rows: readonly ClientIdsRow[], markdown = false): string {
  return table(
    ["client ids", "edits", "µs per edit", "× anchor"],
    rows.map((row) => [String(row.clientIds), String(row.edits), ms(row.usPerEdit), `${row.timesAnchor.toFixed(1)}×`]),
    markdown,
  );
}
