import type { Connection, Extension, beforeSyncPayload } from "@hocuspocus/server";
import {
  type RowId,
  SchemaError,
  type SheetId,
  SystemField,
  type Workbook,
  isInsertedCellsPath,
  isRowPath,
  isRowValuePath,
  openWorkbook,
} from "@huzhu/schema";
import { CollabCloseCode, CollabRefusal, readCollabContext } from "../collab/context.ts";
import { INERT, type Insertion, type Place, UNRESOLVED, readUpdateEffect } from "../collab/update-paths.ts";
import { LinkRole } from "../storage/doc-store.ts";
import type * as Y from "yjs";

/** Configuration of the write guard. */
export interface WriteGuardConfiguration {
  /** Updates a read-only connection may send (each dropped) before it is closed. Default 3. */
  readonly readOnlyAttempts?: number;
}

/** y-protocols sync message types, as Hocuspocus passes them to beforeSync. */
const SyncType = { step2: 1, update: 2 } as const;

/** Editors write rows and their cells; everything else (links aside) is the admin's. */
function editorMayInsert({ place, kind }: Insertion): boolean {
  if (place === INERT) return true;
  if (place === UNRESOLVED) return false;
  if (isRowPath(place)) return kind === "map" || kind === "deleted";
  return isRowValuePath(place) && kind !== "map" && kind !== "type";
}

/** Purging a row (deleting its map) is an admin action (SPEC 4); cells and bookkeeping are not. */
function editorMayDelete(place: Place): boolean {
  return place === INERT || (place !== UNRESOLVED && isRowValuePath(place));
}

/**
 * The document as the checks of one update read it: opened once, each sheet's system columns
 * looked up once (a pasted block of rows is thousands of insertions, each checked).
 */
class CheckedDocument {
  private opened: Workbook | undefined;
  private readonly systemColumns = new Map<string, ReadonlySet<string>>();
  private readonly document: Y.Doc;

  constructor(document: Y.Doc) {
    this.document = document;
  }

  get workbook(): Workbook {
    this.opened ??= openWorkbook(this.document);
    return this.opened;
  }

  /** Whether the row a row path names is in the document (trashed rows included). */
  rowExists(place: readonly string[]): boolean {
    const [, sheetId, , rowId] = place;
    return this.readSheet(() => this.workbook.findRow(sheetId as SheetId, rowId as RowId) !== undefined, false);
  }

  isSystemColumn(sheetId: string, columnId: string): boolean {
    let ids = this.systemColumns.get(sheetId);
    if (!ids) {
      const fields = Object.values(SystemField);
      ids = this.readSheet(
        () => new Set(fields.flatMap((field) => this.workbook.systemColumn(sheetId as SheetId, field)?.id ?? [])),
        new Set(),
      );
      this.systemColumns.set(sheetId, ids);
    }
    return ids.has(columnId);
  }

  /** `read()`, or `fallback` when the sheet it reads is not in the document (nothing there to protect). */
  private readSheet<T>(read: () => T, fallback: T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof SchemaError) return fallback;
      throw error;
    }
  }
}

/**
 * System cells (case number, submission time, duplicate flag) are the server's: requesters quote
 * their case number, and a volunteer's client shows these columns read-only. A modified client
 * or a standard Yjs client cannot change them in a live update. A sync step 2 is not checked for
 * them: it relays what its client received, and after a crash that includes the server's own
 * writes it lost; a crafted step 2 could therefore still carry one.
 */
function isSystemCell(place: Place, checked: CheckedDocument): boolean {
  if (place === INERT || place === UNRESOLVED || !isRowValuePath(place)) return false;
  const [, sheetId, , , key] = place;
  return checked.isSystemColumn(sheetId as string, key as string);
}

/**
 * A row's inserted cells (`$cells`) are written with the row, by its writer, and replaced only by
 * the server's purge: an editor's live update may write them into a row it creates, without a
 * system cell among them, and may not delete or replace them (that would change every cell of
 * the row at once, system cells included).
 */
function isForbiddenInsertedCells({ place, value }: Insertion, checked: CheckedDocument): boolean {
  if (typeof place === "string" || !isInsertedCellsPath(place)) return false;
  const [, sheetId] = place;
  if (checked.rowExists(place)) return true;
  if (typeof value !== "object" || value === null) return false;
  return Object.keys(value).some((columnId) => checked.isSystemColumn(sheetId as string, columnId));
}

function describe(place: Place): string {
  return typeof place === "string" ? place : place.join("/");
}

/**
 * Enforces what each role may write, on the bytes, before Hocuspocus applies them. Admins may
 * write anything. An editor's update is decoded (V1) and every item it would insert or delete is
 * placed in the document the way Yjs would place it; only rows and row values
 * (`sheets/<id>/rows/<row>[/<key>]`) may be touched, not the cells of system columns, and a row
 * may be added but not purged. A
 * refused update is not applied: the connection is closed with reason `update-forbidden`, and the
 * document and everyone else are untouched. Read-only connections (public viewers) never have an
 * update applied; after a few attempts they are closed with `read-only`.
 */
export class WriteGuard implements Extension {
  readonly extensionName = "huzhu-write-guard";
  // After limits (950, which refuses what does not decode), before persistence applies (900).
  readonly priority = 930;
  private readonly readOnlyAttempts: number;
  private readonly attempts = new WeakMap<Connection, number>();

  constructor(configuration: WriteGuardConfiguration = {}) {
    this.readOnlyAttempts = configuration.readOnlyAttempts ?? 3;
  }

  async beforeSync({ type, payload, connection, context, document }: beforeSyncPayload): Promise<void> {
    if (type !== SyncType.step2 && type !== SyncType.update) return;
    if (connection.readOnly) {
      this.countReadOnlyAttempt(connection, type === SyncType.update || readUpdateEffect(document, payload).changes);
      return;
    }
    const role = readCollabContext(context)?.role;
    if (role === LinkRole.admin) return;
    if (role !== LinkRole.editor) throw new CollabRefusal(CollabCloseCode.forbidden, "update-forbidden", "this link may not write");
    const effect = readUpdateEffect(document, payload);
    // A sync step 2 also relays what the client received from others, the server's own system
    // writes included: after a crash the server may have broadcast a new row's case number and
    // lost it, and the volunteer who holds it gives it back on reconnecting. Only live updates
    // are the connection's own edits.
    const liveUpdate = type === SyncType.update;
    const checked = new CheckedDocument(document);
    const systemCell = (place: Place) => liveUpdate && isSystemCell(place, checked);
    // A new map at a row id that exists would replace the row, system cells and all: an
    // editor's own edit never does that (new rows get fresh ids). A relay may (see below).
    const overwrite = ({ place, kind }: Insertion) =>
      liveUpdate && kind === "map" && typeof place !== "string" && isRowPath(place) && checked.rowExists(place);
    const insertion = effect.hasGap
      ? undefined
      : effect.insertions.find(
          (candidate) =>
            !editorMayInsert(candidate) ||
            systemCell(candidate.place) ||
            overwrite(candidate) ||
            (liveUpdate && isForbiddenInsertedCells(candidate, checked)),
        );
    // A relay may also carry a row the server wrote, broadcast and lost, then wrote again under the
    // same id (a form submission retried after the crash): the two copies compete for the key and
    // one replaces the other. That is a replacement, not a purge.
    const replacedRows = new Set(
      type === SyncType.step2
        ? effect.insertions
            .filter(({ place, kind }) => typeof place !== "string" && isRowPath(place) && kind === "map")
            .map((i) => describe(i.place))
        : [],
    );
    const deletion = effect.deletions.find(
      (candidate) =>
        !(editorMayDelete(candidate) || replacedRows.has(describe(candidate))) ||
        systemCell(candidate) ||
        (liveUpdate && typeof candidate !== "string" && isInsertedCellsPath(candidate)),
    );
    if (effect.hasGap || insertion || deletion) {
      const what = effect.hasGap
        ? "an update with missing dependencies"
        : insertion
          ? `a write to ${describe(insertion.place)}`
          : `a deletion at ${describe(deletion as Place)}`;
      throw new CollabRefusal(
        CollabCloseCode.forbidden,
        "update-forbidden",
        `editors may change rows only, and not their system cells (case number, submission time, duplicate flag); refused ${what}`,
      );
    }
  }

  private countReadOnlyAttempt(connection: Connection, isWrite: boolean): void {
    if (!isWrite) return;
    const attempts = (this.attempts.get(connection) ?? 0) + 1;
    this.attempts.set(connection, attempts);
    // Hocuspocus drops the update itself (SyncStatus false); repeated attempts end the connection.
    if (attempts >= this.readOnlyAttempts) {
      throw new CollabRefusal(CollabCloseCode.forbidden, "read-only", "this document is read-only for this link");
    }
  }
}
