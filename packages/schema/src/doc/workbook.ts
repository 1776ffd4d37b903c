import * as Y from "yjs";
import { type CellValue, type ColumnDef, type ColumnInput, type SystemField, isChoiceColumn } from "../columns/column.ts";
import { parseCell, readCell } from "../columns/index.ts";
import { SchemaError, SchemaErrorCode } from "../errors.ts";
import { type ColumnId, type RowId, type SheetId, createColumnId, createRowId, createSheetId, isId } from "../ids.ts";
import { PublicMode, type Sheet, type SheetInfo, type SheetInput, SheetKind, type SheetPatch } from "../sheets/sheet.ts";
import {
  ColumnKey,
  LAYOUT_VERSION,
  MetaKey,
  RowKey,
  SheetKey,
  asYMap,
  childMap,
  createYMap,
  holdsCell,
  insertedCells,
  metaMap,
  sheetsMap,
  storedCell,
} from "./layout.ts";
import { lastRowPosition, raiseLastRow } from "./last-row.ts";
import { cachedRead } from "./read-cache.ts";
import { type Ordered, compareOrdered, orderKeysAt } from "./order.ts";
import { type Row, readColumn, readRow, readSheetInfo, readTintColumn } from "./read.ts";
import { type RetentionPolicy, readRetentionPolicy } from "../retention.ts";
import { columnPatchEntries, validateColumnInput, validateSheetPatch } from "./validate.ts";

/** Workbook-wide settings. */
export interface WorkbookMeta {
  readonly title: string;
  readonly templateId: string;
  /** Prefix of server-assigned case numbers, e.g. `SH` gives SH-0001. */
  readonly casePrefix: string;
  readonly createdAt: string | null;
  /** The sheet the request form appends to, if any. */
  readonly formSheetId: SheetId | null;
  /** When private cells of finished cases are purged; null keeps them until purged by hand. */
  readonly retention: RetentionPolicy | null;
}

/** Where to put a new or moved row: after or before another row, or at the end. */
export interface RowPlacement {
  readonly after?: RowId;
  readonly before?: RowId;
}

/** Options of `openWorkbook`. */
export interface OpenWorkbookOptions {
  /** Transaction origin of every mutation through this handle (undo managers track it). */
  readonly origin?: unknown;
  /** Clock for createdAt/deletedAt, replaceable in tests. */
  readonly now?: () => Date;
}

/** Options of `insertRows`. */
export interface InsertRowsOptions {
  /**
   * Ids for the new rows, in order (missing ones are generated). For a writer that must know a
   * row's id before it exists, e.g. to retry a form submission without creating a second row.
   * Must be random (createRowId), never derived from content (SPEC 13).
   */
  readonly ids?: readonly RowId[];
}

/** A row's cells as a caller supplies them: column id → input to parse. */
export type CellInputs = Readonly<Record<string, unknown>>;

/**
 * The typed API over a workbook's Y.Doc. Reads return plain objects with defaults filled in;
 * each mutation validates first, then runs in one transaction (one update, one undo step).
 */
export function openWorkbook(ydoc: Y.Doc, options: OpenWorkbookOptions = {}) {
  const origin = options.origin ?? null;
  const now = options.now ?? (() => new Date());
  const sheets = sheetsMap(ydoc);
  const meta = metaMap(ydoc);

  const transact = <T>(fn: () => T): T => {
    let result!: T;
    ydoc.transact(() => {
      result = fn();
    }, origin);
    return result;
  };

  function ySheet(sheetId: string): Y.Map<unknown> {
    const sheet = asYMap(sheets.get(sheetId));
    if (!sheet) throw new SchemaError(SchemaErrorCode.unknownSheet, `No sheet "${sheetId}"`, `没有工作表「${sheetId}」`, [sheetId]);
    return sheet;
  }

  function yChild(sheetId: string, key: typeof SheetKey.columns | typeof SheetKey.rows): Y.Map<Y.Map<unknown>> {
    const sheet = ySheet(sheetId);
    const existing = childMap(sheet, key);
    if (existing) return existing;
    // A foreign peer left the child missing or malformed: repair it so writes have a home.
    const created = new Y.Map<Y.Map<unknown>>();
    transact(() => sheet.set(key, created));
    return created;
  }

  function listColumnsWithOrder(sheetId: string): readonly (ColumnDef & Ordered)[] {
    const columns = childMap(ySheet(sheetId), SheetKey.columns);
    if (!columns) return [];
    return cachedRead(columns, null, () => {
      const list: (ColumnDef & Ordered)[] = [];
      columns.forEach((value, id) => {
        const map = asYMap(value);
        const column = map && isId(id) ? readColumn(id, map) : undefined;
        if (column) list.push(Object.freeze(column));
      });
      return Object.freeze(list.sort(compareOrdered));
    });
  }

  /** A row as readers see it, parsed once per change of the row or of its sheet's columns. */
  function readRowCached(id: string, map: Y.Map<unknown>, columns: readonly ColumnDef[]): Row {
    return cachedRead(map, columns, () => {
      const row = readRow(id, map, columns);
      Object.freeze(row.cells);
      return Object.freeze(row);
    });
  }

  function readSheet(sheetId: SheetId): Sheet {
    const sheet = ySheet(sheetId);
    const columns = [...listColumnsWithOrder(sheetId)];
    return { ...readSheetInfo(sheetId, sheet), columns, tintColumn: readTintColumn(sheet, columns) };
  }

  function listSheets(): SheetInfo[] {
    const list: SheetInfo[] = [];
    sheets.forEach((value, id) => {
      const map = asYMap(value);
      if (map && isId(id)) list.push(readSheetInfo(id, map));
    });
    return list.sort(compareOrdered);
  }

  function listRows(sheetId: SheetId, { includeDeleted = false } = {}): Row[] {
    const columns = listColumnsWithOrder(sheetId);
    const rows = childMap(ySheet(sheetId), SheetKey.rows);
    if (!rows) return [];
    const list: Row[] = [];
    rows.forEach((value, id) => {
      const map = asYMap(value);
      if (!map) return;
      const row = readRowCached(id, map, columns);
      if (includeDeleted || row.deletedAt === null) list.push(row);
    });
    return list.sort(compareOrdered);
  }

  /**
   * Ids of the rows (trash included) with an empty cell in any of `columnIds`, reading only those
   * cells: a server checking a whole sheet for missing system values at load, or each row an edit
   * touched, need not parse whole rows. `candidates` narrows the search to those rows.
   */
  function listRowIdsWithEmptyCells(sheetId: SheetId, columnIds: readonly string[], candidates?: Iterable<RowId>): RowId[] {
    const columns = listColumnsWithOrder(sheetId).filter((column) => columnIds.includes(column.id));
    const rows = childMap(ySheet(sheetId), SheetKey.rows);
    const found: RowId[] = [];
    const check = (value: unknown, id: string) => {
      const map = asYMap(value);
      if (map && columns.some((column) => (readCell(column, storedCell(map, column.id)) ?? "") === "")) found.push(id as RowId);
    };
    if (candidates) for (const id of candidates) check(rows?.get(id), id);
    else rows?.forEach(check);
    return found;
  }

  function findRow(sheetId: SheetId, rowId: RowId): Row | undefined {
    const map = asYMap(childMap(ySheet(sheetId), SheetKey.rows)?.get(rowId));
    return map ? readRowCached(rowId, map, listColumnsWithOrder(sheetId)) : undefined;
  }

  function yRow(sheetId: string, rowId: string): Y.Map<unknown> {
    const row = asYMap(childMap(ySheet(sheetId), SheetKey.rows)?.get(rowId));
    if (!row)
      throw new SchemaError(SchemaErrorCode.unknownRow, `No row "${rowId}" in sheet "${sheetId}"`, "该行不存在或已被永久删除", [
        sheetId,
        rowId,
      ]);
    return row;
  }

  function column(sheetId: SheetId, columnId: string): ColumnDef {
    const found = listColumnsWithOrder(sheetId).find((c) => c.id === columnId);
    if (!found)
      throw new SchemaError(SchemaErrorCode.unknownColumn, `No column "${columnId}" in sheet "${sheetId}"`, `没有列「${columnId}」`, [
        sheetId,
        columnId,
      ]);
    return found;
  }

  /** Parses every input against its column; throws a SchemaError naming the first bad one. */
  function parseCells(sheetId: SheetId, rowId: string, inputs: CellInputs): Map<string, CellValue> {
    const columns = new Map(listColumnsWithOrder(sheetId).map((c) => [c.id as string, c]));
    const parsed = new Map<string, CellValue>();
    for (const [columnId, input] of Object.entries(inputs)) {
      const col = columns.get(columnId);
      if (!col)
        throw new SchemaError(SchemaErrorCode.unknownColumn, `No column "${columnId}" in sheet "${sheetId}"`, `没有列「${columnId}」`, [
          sheetId,
          rowId,
          columnId,
        ]);
      const result = parseCell(col, input);
      if (!result.ok) {
        const shown = JSON.stringify(input)?.slice(0, 80) ?? String(input);
        throw new SchemaError(
          SchemaErrorCode.invalidCell,
          `Column "${col.label}" (${col.id}) does not accept ${shown}: expected ${result.expected}`,
          `「${col.label}」不接受 ${shown}：需要${result.expectedZh}`,
          [sheetId, rowId, columnId],
        );
      }
      parsed.set(columnId, result.value);
    }
    return parsed;
  }

  function placementIndex(list: readonly Ordered[], placement: RowPlacement): number {
    const anchor = placement.after ?? placement.before;
    if (anchor === undefined) return list.length;
    const index = list.findIndex((item) => item.id === anchor);
    if (index < 0) throw new SchemaError(SchemaErrorCode.unknownRow, `No row "${anchor}" to place against`, "参照行不存在", [anchor]);
    return placement.after !== undefined ? index + 1 : index;
  }

  function orderedRowsWithDeleted(sheetId: SheetId): Ordered[] {
    return listRows(sheetId, { includeDeleted: true });
  }

  function insertRows(
    sheetId: SheetId,
    inputs: readonly CellInputs[],
    placement: RowPlacement = {},
    options: InsertRowsOptions = {},
  ): RowId[] {
    const rows = yChild(sheetId, SheetKey.rows);
    const ids = inputs.map((_, i) => options.ids?.[i] ?? createRowId());
    for (const id of ids) {
      if (!isId(id) || rows.has(id))
        throw new SchemaError(SchemaErrorCode.invalidRow, `Row id "${id}" is not valid or is taken`, "行 id 不合法或已存在", [sheetId, id]);
    }
    const parsed = inputs.map((cells, i) => parseCells(sheetId, ids[i] as string, cells));
    // Appending (the form, an import) needs only the last row; placing needs the sheet's order.
    const anchored = placement.after !== undefined || placement.before !== undefined;
    const last = anchored ? undefined : lastRowPosition(rows);
    const ordered = anchored ? orderedRowsWithDeleted(sheetId) : last ? [last] : [];
    const keys = orderKeysAt(ordered, placementIndex(ordered, placement), inputs.length);
    const createdAt = now().toISOString();
    transact(() => {
      parsed.forEach((cells, i) => {
        const row = createYMap({ [RowKey.order]: keys[i], [RowKey.createdAt]: createdAt });
        if (cells.size > 0) row.set(RowKey.cells, Object.fromEntries(cells));
        rows.set(ids[i] as string, row);
        raiseLastRow(rows, { id: ids[i] as string, order: keys[i] as string });
      });
    });
    return ids;
  }

  /** Refuses a tint column that is not a select or status column among `columns` (null clears it). */
  function checkTintColumn(
    sheetId: string,
    tintColumn: string | null | undefined,
    columns: readonly { readonly id?: string; readonly type: ColumnDef["type"] }[],
  ): void {
    if (tintColumn === undefined || tintColumn === null) return;
    if (columns.some((column) => column.id === tintColumn && isChoiceColumn(column))) return;
    throw new SchemaError(
      SchemaErrorCode.invalidSheet,
      `Rows are tinted by a select or status column of their sheet; "${tintColumn}" is not one`,
      "整行颜色只能按本表的单选或状态列",
      [sheetId],
    );
  }

  function addColumns(sheetId: SheetId, inputs: readonly ColumnInput[]): ColumnId[] {
    const columns = yChild(sheetId, SheetKey.columns);
    const existing = listColumnsWithOrder(sheetId);
    const taken = new Set(existing.map((c) => c.id as string));
    const ids = inputs.map((input) => {
      validateColumnInput(input, [sheetId]);
      const id = input.id ?? createColumnId();
      if (taken.has(id))
        throw new SchemaError(SchemaErrorCode.invalidColumn, `Column id "${id}" is taken`, `列 id「${id}」已存在`, [sheetId, id]);
      taken.add(id);
      return id as ColumnId;
    });
    const keys = orderKeysAt(existing, existing.length, inputs.length);
    transact(() => {
      inputs.forEach((input, i) => {
        const entries = columnPatchEntries(input);
        columns.set(ids[i] as string, createYMap({ ...entries, [ColumnKey.type]: input.type, [ColumnKey.order]: keys[i] }));
      });
    });
    return ids;
  }

  return {
    ydoc,
    transact,

    readMeta(): WorkbookMeta {
      const formSheetId = meta.get(MetaKey.formSheetId);
      const text = (key: string, fallback: string) => (typeof meta.get(key) === "string" ? (meta.get(key) as string) : fallback);
      const createdAt = meta.get(MetaKey.createdAt);
      return {
        title: text(MetaKey.title, "未命名工作簿"),
        templateId: text(MetaKey.templateId, "blank"),
        casePrefix: text(MetaKey.casePrefix, "HZ"),
        createdAt: typeof createdAt === "string" ? createdAt : null,
        formSheetId: typeof formSheetId === "string" && sheets.has(formSheetId) ? (formSheetId as SheetId) : null,
        retention: readRetentionPolicy(meta.get(MetaKey.retention)),
      };
    },

    listSheets,
    readSheet,
    findSheet: (sheetId: string): Sheet | undefined => (asYMap(sheets.get(sheetId)) ? readSheet(sheetId as SheetId) : undefined),
    listRows,
    listRowIdsWithEmptyCells,
    findRow,
    column,

    /** Sets workbook metadata (title, template, case prefix, form sheet). */
    setMeta(patch: Partial<Omit<WorkbookMeta, "createdAt">>) {
      transact(() => {
        if (meta.get(MetaKey.layoutVersion) === undefined) meta.set(MetaKey.layoutVersion, LAYOUT_VERSION);
        if (meta.get(MetaKey.createdAt) === undefined) meta.set(MetaKey.createdAt, now().toISOString());
        for (const [key, value] of Object.entries(patch)) if (value !== undefined) meta.set(key, value);
      });
    },

    /** Adds a sheet with its columns at the end of the tab bar. */
    addSheet(input: SheetInput): SheetId {
      const id = (input.id ?? createSheetId()) as SheetId;
      if (!isId(id))
        throw new SchemaError(SchemaErrorCode.invalidSheet, `Sheet id "${id}" must match ${"[a-z][a-zA-Z0-9_]*"}`, "工作表 id 不合法", [
          id,
        ]);
      if (sheets.has(id)) throw new SchemaError(SchemaErrorCode.invalidSheet, `Sheet id "${id}" is taken`, "工作表 id 已存在", [id]);
      validateSheetPatch({ name: input.name, body: input.body, publicMode: input.publicMode, publicRule: input.publicRule }, [id]);
      checkTintColumn(id, input.tintColumn, input.columns ?? []);
      const [order] = orderKeysAt(listSheets(), sheets.size);
      transact(() => {
        sheets.set(
          id,
          createYMap({
            [SheetKey.name]: input.name,
            [SheetKey.kind]: input.kind ?? SheetKind.grid,
            [SheetKey.order]: order,
            [SheetKey.body]: input.body ?? "",
            [SheetKey.publicMode]: input.publicMode ?? PublicMode.none,
            [SheetKey.publicRule]: input.publicRule ?? { all: [] },
            ...(input.tintColumn !== undefined ? { [SheetKey.tintColumn]: input.tintColumn } : {}),
            [SheetKey.columns]: new Y.Map(),
            [SheetKey.rows]: new Y.Map(),
          }),
        );
        if (input.columns?.length) addColumns(id, input.columns);
      });
      return id;
    },

    /** Renames a sheet, edits its notice text or changes what of it is public. */
    updateSheet(sheetId: SheetId, patch: SheetPatch) {
      const sheet = ySheet(sheetId);
      validateSheetPatch(patch, [sheetId]);
      checkTintColumn(sheetId, patch.tintColumn, listColumnsWithOrder(sheetId));
      transact(() => {
        for (const [key, value] of Object.entries(patch)) if (value !== undefined) sheet.set(key, value);
      });
    },

    addColumns,
    /** Adds one column at the end of a sheet. */
    addColumn: (sheetId: SheetId, input: ColumnInput): ColumnId => addColumns(sheetId, [input])[0] as ColumnId,

    /** Changes a column's label, flags, options or width; its type never changes. */
    updateColumn(sheetId: SheetId, columnId: ColumnId, patch: Partial<Omit<ColumnInput, "type" | "id">>) {
      const current = column(sheetId, columnId);
      validateColumnInput({ ...current, ...patch, type: current.type }, [sheetId, columnId]);
      const map = yChild(sheetId, SheetKey.columns).get(columnId) as Y.Map<unknown>;
      transact(() => {
        for (const [key, value] of Object.entries(columnPatchEntries(patch))) map.set(key, value);
      });
    },

    insertRows,
    /** Inserts one row; its cells are validated first. */
    insertRow: (sheetId: SheetId, cells: CellInputs = {}, placement: RowPlacement = {}, id?: RowId): RowId =>
      insertRows(sheetId, [cells], placement, id ? { ids: [id] } : {})[0] as RowId,

    /** Sets cells of one row; all are validated before any is written. */
    setCells(sheetId: SheetId, rowId: RowId, inputs: CellInputs) {
      const row = yRow(sheetId, rowId);
      const parsed = parseCells(sheetId, rowId, inputs);
      transact(() => {
        const inserted = insertedCells(row);
        for (const [columnId, value] of parsed) if (storedCell(row, columnId, inserted) !== value) row.set(columnId, value);
      });
    },

    /** Sets one cell. */
    setCell(sheetId: SheetId, rowId: RowId, columnId: ColumnId, input: unknown) {
      this.setCells(sheetId, rowId, { [columnId]: input });
    },

    /** Moves a row to the trash; concurrent edits to it are kept and come back on restore (SPEC 4). */
    deleteRow(sheetId: SheetId, rowId: RowId) {
      const row = yRow(sheetId, rowId);
      transact(() => row.set(RowKey.deletedAt, now().toISOString()));
    },

    /** Takes a row out of the trash. */
    restoreRow(sheetId: SheetId, rowId: RowId) {
      const row = yRow(sheetId, rowId);
      transact(() => row.delete(RowKey.deletedAt));
    },

    /** Moves a row after or before another (SPEC 5: concurrent moves, last writer wins). */
    moveRow(sheetId: SheetId, rowId: RowId, placement: RowPlacement) {
      const row = yRow(sheetId, rowId);
      const others = orderedRowsWithDeleted(sheetId).filter((r) => r.id !== rowId);
      const [order] = orderKeysAt(others, placementIndex(others, placement));
      transact(() => row.set(RowKey.order, order));
      raiseLastRow(yChild(sheetId, SheetKey.rows), { id: rowId, order: order as string });
    },

    /** Removes a row and all its values for good (purge); not reversible. */
    purgeRow(sheetId: SheetId, rowId: RowId) {
      const rows = yChild(sheetId, SheetKey.rows);
      yRow(sheetId, rowId);
      transact(() => rows.delete(rowId));
    },

    /**
     * Records when a row entered (or, with null, left) a closed state; the server stamps this so
     * retention counts from the moment a case was done, whoever closed it.
     */
    stampClosed(sheetId: SheetId, rowId: RowId, at: Date | null) {
      const row = yRow(sheetId, rowId);
      transact(() => (at ? row.set(RowKey.closedAt, at.toISOString()) : row.delete(RowKey.closedAt)));
    },

    /**
     * Deletes every private cell of a row and records when: each cell's own key, and the cell
     * among those the row was inserted with (the inserted cells are written again without it).
     * The old values become Yjs tombstones that garbage collection empties; stores must re-encode
     * the document (never merge old updates) for them to be gone from disk.
     */
    purgePrivateCells(sheetId: SheetId, rowId: RowId): string[] {
      const row = yRow(sheetId, rowId);
      const purged = listColumnsWithOrder(sheetId)
        .filter((c) => c.private && c.system === null && holdsCell(row, c.id))
        .map((c) => c.id as string);
      const inserted = insertedCells(row);
      const keptInserted = Object.entries(inserted).filter(([id]) => !purged.includes(id));
      transact(() => {
        for (const id of purged) row.delete(id);
        if (keptInserted.length < Object.keys(inserted).length) row.set(RowKey.cells, Object.fromEntries(keptInserted));
        row.set(RowKey.purgedAt, now().toISOString());
      });
      return purged;
    },

    /** The column holding a system field (e.g. the case number), if the sheet has one. */
    systemColumn(sheetId: SheetId, field: SystemField): ColumnDef | undefined {
      return listColumnsWithOrder(sheetId).find((c) => c.system === field);
    },

    /** Writes a system field; only the server calls this. */
    setSystemCell(sheetId: SheetId, rowId: RowId, field: SystemField, value: string) {
      const col = this.systemColumn(sheetId, field);
      if (!col) return;
      const row = yRow(sheetId, rowId);
      const parsed = parseCells(sheetId, rowId, { [col.id]: value }).get(col.id);
      transact(() => row.set(col.id, parsed ?? null));
    },
  };
}

/** The typed handle `openWorkbook` returns. */
export type Workbook = ReturnType<typeof openWorkbook>;
