import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type ColumnDef, ColumnType } from "../columns/column.ts";
import { columnTypes } from "../columns/index.ts";
import { SchemaError } from "../errors.ts";
import type { SheetId } from "../ids.ts";
import { createFromTemplate } from "../sheets/templates.ts";
import { type Random, createRandom } from "../testing/random.ts";
import { replicasOf, syncAll, syncPair } from "../testing/replicas.ts";
import { SheetKey, asYMap, childMap, sheetsMap, storedCell } from "./layout.ts";
import { type Workbook, openWorkbook } from "./workbook.ts";

// Yjs-style randomized convergence (cf. Yjs' applyRandomTests): replicas mutate at random, sync in
// random pairs while partitioned into groups, then heal; every replica must end equal and valid.
// Replay a failure with HUZHU_SEED=<seed>.

const REPLICAS = 5;
const MUTATIONS = 2_500;
const SHEETS = ["requests", "hospitals"] as SheetId[];

function randomValue(random: Random, column: ColumnDef): unknown {
  switch (column.type) {
    case ColumnType.select:
    case ColumnType.status:
      return random.chance(0.1) ? null : random.pick(column.options).label;
    case ColumnType.number:
      return random.int(120);
    case ColumnType.dateTime:
      return `2022-04-${String(1 + random.int(28)).padStart(2, "0")} ${String(random.int(24)).padStart(2, "0")}:${String(random.int(60)).padStart(2, "0")}`;
    case ColumnType.phone:
      return `100 ${String(random.int(1e8)).padStart(8, "0")}`;
    case ColumnType.url:
      return `https://example.org/${random.int(1000)}`;
    case ColumnType.chatGroup:
      return random.chance(0.5) ? `https://example.org/g/${random.int(99)} | 2022-05-0${1 + random.int(9)}` : null;
    case ColumnType.checkbox:
      return random.chance(0.5);
    default:
      return random.chance(0.1) ? "" : `值${random.int(10_000)}`;
  }
}

function mutate(random: Random, workbook: Workbook): void {
  const sheetId = random.pick(SHEETS);
  const rows = workbook.listRows(sheetId, { includeDeleted: true });
  const row = rows.length > 0 ? random.pick(rows).id : undefined;
  const columns = workbook.readSheet(sheetId).columns.filter((c) => c.system === null);
  const roll = random.next();
  if (!row || roll < 0.12) {
    const placement = row && random.chance(0.5) ? { after: row } : {};
    // Several cells, as a form answer or a paste brings them: stored as the row's inserted cells.
    const cells = Object.fromEntries(
      Array.from({ length: 1 + random.int(4) }, () => random.pick(columns)).map((column) => [column.id, randomValue(random, column)]),
    );
    workbook.insertRow(sheetId, cells, placement);
  } else if (roll < 0.7) {
    const column = random.pick(columns);
    workbook.setCells(sheetId, row, { [column.id]: randomValue(random, column) });
  } else if (roll < 0.78) {
    workbook.deleteRow(sheetId, row);
  } else if (roll < 0.84) {
    workbook.restoreRow(sheetId, row);
  } else if (roll < 0.86) {
    workbook.purgePrivateCells(sheetId, row);
  } else if (roll < 0.94) {
    workbook.moveRow(sheetId, row, random.chance(0.5) ? { after: random.pick(rows).id } : { before: random.pick(rows).id });
  } else if (roll < 0.97) {
    workbook.addColumn(sheetId, random.chance(0.5) ? { type: "text", label: `列${random.int(100)}` } : { type: "checkbox", label: "勾选" });
  } else if (roll < 0.99) {
    workbook.updateColumn(sheetId, random.pick(columns).id, { label: `改名${random.int(100)}` });
  } else {
    workbook.purgeRow(sheetId, row);
  }
}

/** Every raw value in the document fits its column: writers validated everything (SPEC 9). */
function invalidCells(workbook: Workbook): string[] {
  const problems: string[] = [];
  for (const sheetId of SHEETS) {
    const columns = workbook.readSheet(sheetId).columns;
    const rows = childMap(asYMap(sheetsMap(workbook.ydoc).get(sheetId))!, SheetKey.rows)!;
    rows.forEach((row, rowId) => {
      for (const column of columns) {
        const raw = storedCell(row, column.id);
        if (raw !== undefined && !columnTypes[column.type].isValid(raw, column))
          problems.push(`${sheetId}/${rowId}/${column.id}=${JSON.stringify(raw)}`);
      }
    });
  }
  return problems;
}

function snapshot(workbook: Workbook) {
  return SHEETS.map((id) => ({ sheet: workbook.readSheet(id), rows: workbook.listRows(id, { includeDeleted: true }) }));
}

describe("randomized convergence", () => {
  it(`converges ${REPLICAS} replicas after ${MUTATIONS} random mutations with random sync and partitions`, () => {
    const seed = Number(process.env.HUZHU_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = createRandom(seed);
    const context = `seed ${seed} (replay with HUZHU_SEED=${seed})`;
    const base = new Y.Doc();
    createFromTemplate(base, "shanghai-medical", { sampleData: true });
    const docs = replicasOf(base, REPLICAS);
    const workbooks = docs.map((doc) => openWorkbook(doc));
    let groups: number[] = docs.map(() => 0);
    let refused = 0;

    for (let step = 0; step < MUTATIONS; step++) {
      try {
        mutate(random, random.pick(workbooks));
      } catch (error) {
        // A row purged elsewhere, or a move against a row that just vanished: refused, not corrupted.
        if (!(error instanceof SchemaError)) throw new Error(`${context}: step ${step} threw ${String(error)}`);
        refused++;
      }
      if (random.chance(0.02)) groups = docs.map(() => random.int(2)); // a new partition
      if (random.chance(0.01)) groups = docs.map(() => 0); // healed
      if (random.chance(0.3)) {
        const a = random.int(REPLICAS);
        const b = random.int(REPLICAS);
        if (a !== b && groups[a] === groups[b]) syncPair(docs[a]!, docs[b]!);
      }
    }
    syncAll(docs);

    const expected = snapshot(workbooks[0]!);
    expect(expected[0]!.rows.length, context).toBeGreaterThan(20);
    for (const [i, workbook] of workbooks.entries()) {
      expect(Y.encodeStateVector(workbook.ydoc), `${context}: replica ${i} state vector`).toEqual(Y.encodeStateVector(docs[0]!));
      expect(snapshot(workbook), `${context}: replica ${i} content`).toEqual(expected);
      expect(invalidCells(workbook), `${context}: replica ${i} invalid cells`).toEqual([]);
      for (const { rows } of snapshot(workbook)) expect(new Set(rows.map((r) => r.id)).size, context).toBe(rows.length);
    }
    expect(refused, context).toBeLessThan(MUTATIONS / 10);
    // ~3 s on an idle 2-core machine; CI shares the cores with browser tests.
  }, 120_000);
});
