/**
 * The audit log: who changed which cell of which row, when, from what to what. One entry per
 * changed row key per transaction. Values are kept separately from the attribution so a purge can
 * erase them and leave "changed by X at T".
 */

/** An audit entry as written. */
export interface NewAuditEntry {
  readonly workbookId: string;
  readonly sheetId: string;
  readonly rowId: string;
  /** A column id, a row bookkeeping key (`$deletedAt`, `$closedAt`, `$purgedAt`), or "" for a row removed for good. */
  readonly key: string;
  /** Who: the link's label for people, "form" or "system" (or "system:<purpose>") for server writes. */
  readonly actor: string;
  /** How: edit, import, restore, form, case-numbers, retention, purge… */
  readonly via: string;
  /** ISO 8601. */
  readonly at: string;
  /** JSON text of the old value; null when the key had none. */
  readonly before: string | null;
  /** JSON text of the new value; null when the key was deleted. */
  readonly after: string | null;
}

/** An audit entry as read back. */
export interface AuditEntry extends NewAuditEntry {
  /** Grows with every entry; pages of history go backwards from one. */
  readonly id: number;
  /** The values were erased by a purge; `before` and `after` are null. */
  readonly valuesErased: boolean;
}

/** Storage of the audit log (SQLite now; PostgreSQL for scale-out). */
export interface AuditStore {
  /** Appends entries in one transaction. */
  appendAuditEntries(entries: readonly NewAuditEntry[]): Promise<void>;
  /** A row's entries, newest first: at most `limit`, with ids below `beforeId` when given. */
  listRowHistory(workbookId: string, sheetId: string, rowId: string, options: { limit: number; beforeId?: number }): Promise<AuditEntry[]>;
  /**
   * Erases the values of a row's entries for `keys` (every key of the row when null), keeping
   * who, when and which column. Returns how many entries were erased.
   */
  eraseRowValues(workbookId: string, sheetId: string, rowId: string, keys: readonly string[] | null): Promise<number>;
}
