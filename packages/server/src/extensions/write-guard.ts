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
  /** The Yjs client ids storage holds for the server's writes to a document (DocStore.heldServerClientIds). */
  readonly heldServerClientIds: (documentName: string) => Promise<ReadonlySet<number>>;
}

/** y-protocols sync message types, as Hocuspocus passes them to beforeSync. */
const SyncType = { step2: 1, update: 2 } as const;

const NO_IDS: ReadonlySet<number> = new Set();

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
 * their case number, and a volunteer's client shows these columns read-only.
 */
function isSystemCell(place: Place, checked: CheckedDocument): boolean {
  if (place === INERT || place === UNRESOLVED || !isRowValuePath(place)) return false;
  const [, sheetId, , , key] = place;
  return checked.isSystemColumn(sheetId as string, key as string);
}

/**
 * A row's inserted cells (`$cells`) are written with the row, by its writer, and replaced only by
 * the server's purge: an editor may write them into a row it creates, without a system cell among
 * them, and may not replace them (that would change every cell of the row at once, system cells
 * included).
 */
function isServersInsertedCells({ place, value }: Insertion, checked: CheckedDocument): boolean {
  if (typeof place === "string" || !isInsertedCellsPath(place)) return false;
  const [, sheetId] = place;
  if (checked.rowExists(place)) return true;
  if (typeof value !== "object" || value === null) return false;
  return Object.keys(value).some((columnId) => checked.isSystemColumn(sheetId as string, columnId));
}

/** A new map at a row id that exists replaces the row, system cells and all (new rows get fresh ids). */
function isRowReplacement({ place, kind }: Insertion, checked: CheckedDocument): boolean {
  return kind === "map" && typeof place !== "string" && isRowPath(place) && checked.rowExists(place);
}

/** What only the server writes: system cells, inserted cells of existing rows or with system cells, whole rows over existing ones. */
function isServersInsertion(insertion: Insertion, checked: CheckedDocument): boolean {
  return isSystemCell(insertion.place, checked) || isServersInsertedCells(insertion, checked) || isRowReplacement(insertion, checked);
}

function isInsertedCellsDeletion(place: Place): boolean {
  return typeof place !== "string" && isInsertedCellsPath(place);
}

function describe(place: Place): string {
  return typeof place === "string" ? place : place.join("/");
}

/**
 * Enforces what each role may write, on the bytes, before Hocuspocus applies them. Admins may
 * write anything. An editor's update is decoded (V1) and every item it would insert or delete is
 * placed in the document the way Yjs would place it; only rows and row values
 * (`sheets/<id>/rows/<row>[/<key>]`) may be touched, not what only the server writes (system
 * cells, a row's inserted cells once it exists, a row over an existing one), and a row may be
 * added but not purged.
 *
 * A sync step 2 also relays what its client received from others, the server's own writes
 * included: after a crash the server may have broadcast a new row's case number and lost it, and
 * the volunteer who holds it gives it back on reconnecting. So a step 2 may carry what only the
 * server writes if it is written under an id storage holds for the server (held now, or left
 * held by a crash: the only ids under which the server can have written something it did not
 * store, server-client-ids.ts), and may delete it only where it carries such a write (the copy
 * it replaced). Anything else is forged: a live update is the connection's own edits, and a step 2
 * under another id is a modified client's.
 *
 * A refused update is not applied: the connection is closed with reason `update-forbidden`, and
 * the document and everyone else are untouched. Read-only connections (public viewers) never have
 * an update applied; after a few attempts they are closed with `read-only`.
 */
export class WriteGuard implements Extension {
  readonly extensionName = "huzhu-write-guard";
  // After limits (950, which refuses what does not decode), before persistence applies (900).
  readonly priority = 930;
  private readonly readOnlyAttempts: number;
  private readonly heldServerClientIds: (documentName: string) => Promise<ReadonlySet<number>>;
  private readonly attempts = new WeakMap<Connection, number>();

  constructor(configuration: WriteGuardConfiguration) {
    this.readOnlyAttempts = configuration.readOnlyAttempts ?? 3;
    this.heldServerClientIds = configuration.heldServerClientIds;
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
    if (effect.hasGap) this.refuse("an update with missing dependencies");
    const checked = new CheckedDocument(document);
    const disallowed = effect.insertions.find((candidate) => !editorMayInsert(candidate));
    if (disallowed) this.refuse(`a write to ${describe(disallowed.place)}`);
    const servers = effect.insertions.filter((candidate) => isServersInsertion(candidate, checked));
    // Read from storage only for a step 2 that carries such writes (a reconnect after a crash).
    const heldIds = servers.length > 0 && type === SyncType.step2 ? await this.heldServerClientIds(document.name) : NO_IDS;
    const forged = servers.find((candidate) => !heldIds.has(candidate.client));
    if (forged) this.refuse(`a write to ${describe(forged.place)}`);
    // Where the relayed server writes land, the copies they replaced may be deleted too (a row's
    // with everything in it).
    const relayed = new Set(servers.map(({ place }) => describe(place)));
    const replaced = (place: Place) =>
      relayed.has(describe(place)) || (typeof place !== "string" && relayed.has(describe(place.slice(0, 4))));
    const deletion = effect.deletions.find((candidate) => {
      const serversOnly = !editorMayDelete(candidate) || isSystemCell(candidate, checked) || isInsertedCellsDeletion(candidate);
      return serversOnly && !replaced(candidate);
    });
    if (deletion !== undefined) this.refuse(`a deletion at ${describe(deletion)}`);
  }

  private refuse(what: string): never {
    throw new CollabRefusal(
      CollabCloseCode.forbidden,
      "update-forbidden",
      `editors may change rows only, and not their system cells (case number, submission time, duplicate flag); refused ${what}`,
    );
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
